package dev.wharf.http;

import java.time.Duration;

/**
 * What clients may hold of a server, and what they may tell it. {@code idleTimeout}: how long a
 * connection may go without a byte moving either way, a stalled download included, before it is
 * closed. {@code maxConnections}: open connections at most; beyond it new ones wait in the listen
 * backlog until one closes. Neither bounds a request thread: files are written asynchronously
 * ({@link ResponseBodies#sendFile}), so a client that stops reading holds its connection and the
 * buffers in flight, not a thread. {@code trustForwarded}: the scheme, host and port the client
 * used are taken from {@code X-Forwarded-Proto}, {@code -Host} and {@code -Port}, which only a proxy
 * in front should set. {@code trustedProxies}: whose {@code X-Forwarded-For} names the client
 * ({@link ProxiedRequests}). {@code strictTransport}: whether answers to requests that came over TLS
 * carry HSTS ({@link StrictTransport}); on unless the operator turns it off.
 */
public record ServerLimits(Duration idleTimeout, int maxConnections, boolean trustForwarded, TrustedProxies trustedProxies,
        boolean strictTransport) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /**
     * The request line and headers together, at most (larger: 431). Every route of both programs is a
     * short path plus a token at most; 8 KB is what nginx and Jetty allow by default, set here so it
     * stays a documented number rather than a library default.
     */
    public static final int MAX_REQUEST_HEADER_BYTES = 8192;

    public ServerLimits {
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("the idle timeout must be positive, not " + idleTimeout);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("the connection limit must be at least 1, not " + maxConnections);
        }
    }

    public ServerLimits(Duration idleTimeout, int maxConnections) {
        this(idleTimeout, maxConnections, false, TrustedProxies.NONE);
    }

    public ServerLimits(Duration idleTimeout, int maxConnections, boolean trustForwarded) {
        this(idleTimeout, maxConnections, trustForwarded, TrustedProxies.NONE);
    }

    public ServerLimits(Duration idleTimeout, int maxConnections, boolean trustForwarded, TrustedProxies trustedProxies) {
        this(idleTimeout, maxConnections, trustForwarded, trustedProxies, true);
    }

    public static ServerLimits defaults() {
        return new ServerLimits(DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS);
    }
}
