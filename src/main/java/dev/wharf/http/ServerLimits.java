package dev.wharf.http;

import java.time.Duration;

/**
 * What clients may hold of a server. {@code idleTimeout}: how long a connection may go without a
 * byte moving either way, a stalled download included, before it is closed. {@code maxConnections}:
 * open connections at most; beyond it new ones wait in the listen backlog until one closes. Neither
 * bounds a request thread: files are written asynchronously ({@link ResponseBodies#sendFile}), so a
 * client that stops reading holds its connection and the buffers in flight, not a thread.
 */
public record ServerLimits(Duration idleTimeout, int maxConnections) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    public ServerLimits {
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("the idle timeout must be positive, not " + idleTimeout);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("the connection limit must be at least 1, not " + maxConnections);
        }
    }

    public static ServerLimits defaults() {
        return new ServerLimits(DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS);
    }
}
