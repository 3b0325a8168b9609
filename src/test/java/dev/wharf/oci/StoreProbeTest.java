package dev.wharf.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.oci.registry.RegistryTimeouts;
import dev.wharf.oci.registry.RetryPolicy;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.FaultProxy;
import dev.wharf.testing.FaultProxy.Fault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The health probe against a registry that accepts connections and never answers, with request
 * timeouts far longer than the probe's deadline (as a user may set them): the probe reports the
 * hang at its own deadline, keeps one request in flight however often it is asked, and reports
 * healthy again once the registry answers.
 */
class StoreProbeTest {
    @TempDir
    Path dir;

    @Test
    void aHungRegistryIsReportedAtTheProbesDeadlineWithOneRequestInFlight() {
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
             FaultProxy proxy = FaultProxy.before(registry.host());
             RegistryArtifactStore store = new RegistryArtifactStore(new RegistrySettings("http://" + proxy.host(), false, Optional.empty(),
                     new RegistryTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60))),
                     CredentialSource.fixed(new Credentials.Anonymous(), "test"), RetryPolicy.none(), null)) {
            StoreProbe probe = new StoreProbe(store, "probe/app", Duration.ofMillis(300), Duration.ZERO, java.time.Clock.systemUTC());
            awaitHealthy(probe);
            proxy.inject(Fault.STALL);
            int before = proxy.requests().size();
            for (int i = 0; i < 3; i++) {
                Optional<StoreProbe.Failure> failure = probe.check();
                assertThat(failure).hasValueSatisfying(f -> {
                    assertThat(f.kind()).isEqualTo(StorageException.Kind.UNREACHABLE);
                    assertThat(f.message()).contains(proxy.host(), "no answer within 300 ms", "probe/app");
                });
            }
            assertThat(proxy.requests().size() - before).as("one probe request in flight, not one per check").isEqualTo(1);
            proxy.heal();
            awaitHealthy(probe);
        }
    }

    /** A cold client (first connection, class loading) may miss a short deadline once: poll. */
    private static void awaitHealthy(StoreProbe probe) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (probe.check().isPresent()) {
            assertThat(System.nanoTime()).as("the probe reports healthy once the registry answers").isLessThan(deadline);
        }
    }
}
