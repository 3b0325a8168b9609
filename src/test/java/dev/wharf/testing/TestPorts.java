package dev.wharf.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for servers a test starts in another process, which must be told their port before they
 * bind it. A port from {@code bind(0)} comes from the kernel's ephemeral range, where every
 * outgoing connection (Wharf's to the registry, terraform's, the browser's) also takes its source
 * port, so one could take it between the pick and the server's bind; the bench's harness lost a
 * run so ("address already in use", 2026-12-04). These come from the span just below that range,
 * which the kernel never hands out by itself.
 *
 * <p>One cursor for the whole test JVM, starting at a random place so that two JVMs (a test run and
 * an integration-test run, or two checkouts) seldom walk the same ports: every caller must draw from
 * it, or two picks made before either port is bound (a server's and its telemetry's) could be the
 * same. The cursor is this class's only state; it is static because the JVM has one port space.
 */
public final class TestPorts {
    /** How far below the ephemeral range ports are drawn from, as the bench's harness does. */
    private static final int SPAN = 12_000;
    private static final int FALLBACK_EPHEMERAL_LOW = 32_768;
    private static final int LOWEST = 1024;
    /** Read once: the range is the kernel's setting, not something a test run changes. */
    private static final int EPHEMERAL_LOW = ephemeralLow();
    private static final AtomicInteger CURSOR = new AtomicInteger(ThreadLocalRandom.current().nextInt(SPAN));

    private TestPorts() {
    }

    /** A port on 127.0.0.1 that nothing listens on now and that this JVM has not handed out before. */
    public static int free() {
        return free(Math.max(LOWEST, EPHEMERAL_LOW - SPAN), EPHEMERAL_LOW, CURSOR);
    }

    /** The first port from {@code cursor} on, within [{@code low}, {@code high}), that can be bound. */
    static int free(int low, int high, AtomicInteger cursor) {
        int span = high - low;
        for (int tries = 0; tries < span; tries++) {
            int port = low + Math.floorMod(cursor.getAndIncrement(), span);
            if (bindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port on 127.0.0.1 from " + low + " to " + (high - 1));
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // As the servers bind: a port whose last connections are still in TIME_WAIT is free to them.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of the kernel's ephemeral range ({@code ip_local_port_range}), or Linux's default. */
    static int ephemeralLow() {
        try {
            // By lines: readString and readAllBytes trust the size procfs reports and return "3" of "32768\t60999" (JDK 17 and 25).
            List<String> lines = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"), StandardCharsets.US_ASCII);
            return Integer.parseInt(lines.get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return FALLBACK_EPHEMERAL_LOW;
        }
    }
}
