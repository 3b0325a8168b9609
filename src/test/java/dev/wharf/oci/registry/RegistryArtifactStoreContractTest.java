package dev.wharf.oci.registry;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ArtifactStoreContract;
import dev.wharf.oci.Digest;
import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.testing.DockerRegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The storage contract against Debian's docker-registry (distribution 2.8.2), anonymous plain HTTP, deletion enabled. */
class RegistryArtifactStoreContractTest extends ArtifactStoreContract {
    private static Path dir;
    private static DockerRegistryServer registry;
    private static RegistryArtifactStore store;

    @BeforeAll
    static void startRegistry() throws Exception {
        dir = Files.createTempDirectory("wharf-registry-contract");
        registry = DockerRegistryServer.anonymous(dir);
        store = new RegistryArtifactStore(new RegistrySettings("http://" + registry.host(), false, Optional.empty()),
                CredentialSource.fixed(new Credentials.Anonymous(), "test"),
                new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofMillis(200)), null);
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
        TestFiles.deleteQuietly(dir);
    }

    @Override
    protected ArtifactStore store() {
        return store;
    }

    @Override
    protected Path blobFile(String repository, Digest digest) {
        return registry.storageDir().resolve("docker/registry/v2/blobs/" + digest.algorithm() + "/" + digest.hex().substring(0, 2) + "/"
                + digest.hex() + "/data");
    }
}
