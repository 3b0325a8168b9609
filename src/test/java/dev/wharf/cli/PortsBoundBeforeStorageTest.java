package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.FaultProxy;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both servers bind their ports before their first registry request (the storage probe, the first
 * index) opens a connection: an outgoing connection takes a source port from the ephemeral range, and
 * taken before the bind it could be the very port the server is to listen on (CI saw exactly that:
 * "cannot listen on 127.0.0.1:44113: the address is already in use"). Checked from the registry's side:
 * when the first request arrives, every port of the server already accepts connections.
 */
class PortsBoundBeforeStorageTest {
    private static final Duration START = Duration.ofMinutes(1);

    @TempDir
    Path dir;

    @Test
    void boringRegistryListensBeforeItsStorageProbeCalls() throws Exception {
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
                FaultProxy proxy = FaultProxy.before(registry.host())) {
            int port = TestPorts.free();
            int telemetry = TestPorts.free();
            Map<Integer, Boolean> boundAtFirstRequest = checkedAtFirstRequest(proxy, port, telemetry);
            try (WharfProcess server = WharfProcess.start(dir.resolve("boring"), Map.of(), List.of("boring-registry", "server",
                    "--listen-address", "127.0.0.1:" + port, "--listen-telemetry-address", "127.0.0.1:" + telemetry,
                    "--storage-oci-registry", "http://" + proxy.host()))) {
                server.awaitReady(URI.create("http://127.0.0.1:" + telemetry + "/health"), START);
                assertThat(boundAtFirstRequest).as(server.output()).containsEntry(port, true).containsEntry(telemetry, true);
            }
        }
    }

    @Test
    void packageRegistryListensBeforeItsFirstIndexCalls() throws Exception {
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
                FaultProxy proxy = FaultProxy.before(registry.host())) {
            int port = TestPorts.free();
            int metrics = TestPorts.free();
            Map<Integer, Boolean> boundAtFirstRequest = checkedAtFirstRequest(proxy, port, metrics);
            try (WharfProcess server = WharfProcess.start(dir.resolve("epr"), Map.of(), List.of("package-registry", "-feature-oci-indexer",
                    "-oci-registry", "http://" + proxy.host(), "-oci-repository", "epr/empty", "-address", "127.0.0.1:" + port,
                    "-metrics-address", "127.0.0.1:" + metrics, "-require-package-signatures=false", "-log-type", "dev",
                    "-oci-refresh-interval", "0", "-oci-cache-dir", dir.resolve("cache").toString()))) {
                server.awaitReady(URI.create("http://127.0.0.1:" + port + "/health"), START);
                assertThat(boundAtFirstRequest).as(server.output()).containsEntry(port, true).containsEntry(metrics, true);
            }
        }
    }

    /** Filled at the first request through {@code proxy}: whether each port took a connection then. */
    private static Map<Integer, Boolean> checkedAtFirstRequest(FaultProxy proxy, int... ports) {
        Map<Integer, Boolean> bound = new ConcurrentHashMap<>();
        AtomicBoolean first = new AtomicBoolean(true);
        proxy.inject(FaultProxy.Fault.NONE, request -> {
            if (first.getAndSet(false)) {
                for (int port : ports) {
                    bound.put(port, WharfProcess.accepts(port));
                }
            }
            return false;
        });
        return bound;
    }
}
