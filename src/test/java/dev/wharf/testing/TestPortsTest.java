package dev.wharf.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TestPortsTest {
    @Test
    void portsComeFromBelowTheEphemeralRangeAndAreNeverHandedOutTwice() throws IOException {
        int ephemeralLow = TestPorts.ephemeralLow();
        try (ServerSocket kernels = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(kernels.getLocalPort()).as("the kernel's own pick is in the range read").isGreaterThanOrEqualTo(ephemeralLow);
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = TestPorts.free();
            assertThat(port).isBetween(1024, ephemeralLow - 1);
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
        }
        // Picked before either is bound, as a server's port and its telemetry port are: still two ports.
        int first = TestPorts.free();
        int second = TestPorts.free();
        assertThat(first).isNotEqualTo(second);
        try (ServerSocket a = bound(first); ServerSocket b = bound(second)) {
            assertThat(a.getLocalPort()).isEqualTo(first);
            assertThat(b.getLocalPort()).isEqualTo(second);
        }
    }

    @Test
    void aPortSomeoneListensOnIsPassedOver() throws IOException {
        int taken = TestPorts.free();
        int low = taken - 1;
        try (ServerSocket holder = bound(taken)) {
            AtomicInteger cursor = new AtomicInteger(1);
            int next = TestPorts.free(low, taken + 100, cursor);
            assertThat(next).isNotEqualTo(taken).isGreaterThan(taken);
        }
        // Once it is let go, the same cursor position gives it.
        assertThat(TestPorts.free(low, taken + 100, new AtomicInteger(1))).isEqualTo(taken);
    }

    @Test
    void aSpanWithNothingFreeSaysSo() throws IOException {
        int taken = TestPorts.free();
        try (ServerSocket holder = bound(taken)) {
            assertThatThrownBy(() -> TestPorts.free(taken, taken + 1, new AtomicInteger()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(String.valueOf(taken));
        }
    }

    private static ServerSocket bound(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        return socket;
    }
}
