package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A taken port is one line naming the address and the flag that moves it, for each listener of both
 * programs; so is an address that is not one.
 */
class PortInUseTest {
    /** At once, and well under the 25 s a graceful stop may drain for: nothing was served, so nothing waits. */
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void boringRegistryNamesTheListenAddressFlag() throws IOException {
        try (ServerSocket taken = taken()) {
            String address = "127.0.0.1:" + taken.getLocalPort();
            assertOneLine(run("boring-registry", "server", "--storage-oci-layout-dir", dir.resolve("store").toString(),
                    "--listen-address", address, "--listen-telemetry-address", "127.0.0.1:" + TestPorts.free()),
                    "boring-registry: cannot listen on " + address + ": the address is already in use; choose another with --listen-address");
        }
    }

    @Test
    void boringRegistryNamesTheTelemetryFlag() throws IOException {
        try (ServerSocket taken = taken()) {
            String address = "127.0.0.1:" + taken.getLocalPort();
            assertOneLine(run("boring-registry", "server", "--storage-oci-layout-dir", dir.resolve("store").toString(),
                    "--listen-address", "127.0.0.1:" + TestPorts.free(), "--listen-telemetry-address", address),
                    "boring-registry: cannot listen on " + address + ": the address is already in use; choose another with --listen-telemetry-address");
        }
    }

    @Test
    void packageRegistryNamesTheAddressFlag() throws IOException {
        try (ServerSocket taken = taken()) {
            String address = "127.0.0.1:" + taken.getLocalPort();
            assertOneLine(run("package-registry", "-feature-oci-indexer", "-oci-registry", "oci-layout:" + dir.resolve("layout"),
                    "-address", address),
                    "package-registry: cannot listen on " + address + ": the address is already in use; choose another with -address");
        }
    }

    @Test
    void packageRegistryNamesTheMetricsFlag() throws IOException {
        try (ServerSocket taken = taken()) {
            String address = "127.0.0.1:" + taken.getLocalPort();
            assertOneLine(run("package-registry", "-feature-oci-indexer", "-oci-registry", "oci-layout:" + dir.resolve("layout"),
                    "-address", "127.0.0.1:" + TestPorts.free(), "-metrics-address", address),
                    "package-registry: cannot listen on " + address + ": the address is already in use; choose another with -metrics-address");
        }
    }

    @Test
    void anAddressWithoutAPortNamesItsFlag() {
        assertOneLine(run("boring-registry", "server", "--storage-oci-layout-dir", dir.resolve("store").toString(),
                "--listen-address", "127.0.0.1:" + TestPorts.free(), "--listen-telemetry-address", "7801"),
                "boring-registry: --listen-telemetry-address: listen address '7801' has no port (write host:port or :port)", "7801");
        assertOneLine(run("package-registry", "-feature-oci-indexer", "-oci-registry", "oci-layout:" + dir.resolve("layout"),
                "-address", "localhost"),
                "package-registry: -address: listen address 'localhost' has no port (write host:port or :port)", "listen address");
    }

    private static ServerSocket taken() throws IOException {
        return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    private WharfProcess run(String... args) {
        return WharfProcess.start(dir.resolve("work"), Map.of(), List.of(args));
    }

    private static void assertOneLine(WharfProcess wharf, String expected) {
        assertOneLine(wharf, expected, "in use");
    }

    private static void assertOneLine(WharfProcess wharf, String expected, String marker) {
        try (wharf) {
            assertThat(wharf.waitFor(DEADLINE)).as(wharf.output()).isEqualTo(1);
            String out = wharf.output();
            assertThat(out.lines().filter(l -> l.contains(marker)).toList()).as(out).containsExactly(expected);
            assertThat(out).doesNotContain("JavalinBindException").doesNotContain("unexpected failure").doesNotContain("\tat ");
        }
    }
}
