package dev.wharf.cli;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.testing.DockerRegistryServer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The terraform scenarios with storage in Debian's docker-registry on 127.0.0.1. */
class BoringRegistryOnDockerRegistryEndToEndTest extends BoringRegistryEndToEndScenarios {
    DockerRegistryServer registry;

    @BeforeEach
    void startRegistry() {
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
    }

    @AfterEach
    void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Override
    List<String> storageArgs() {
        return List.of("--storage-oci-registry", registry.url(), "--storage-oci-repository", "boring-registry");
    }

    @Override
    ArtifactStore openStore() {
        return new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty()));
    }
}
