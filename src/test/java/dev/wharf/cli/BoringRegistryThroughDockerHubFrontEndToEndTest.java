package dev.wharf.cli;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.terraform.layout.RepositoryLayout;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.RegistryFront;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The terraform scenarios through a front that names and answers like Docker Hub, with --storage-oci-flat. */
class BoringRegistryThroughDockerHubFrontEndToEndTest extends BoringRegistryEndToEndScenarios {
    static final String REPOSITORY = "myorg/boring-registry";
    DockerRegistryServer registry;
    RegistryFront front;

    @BeforeEach
    void startRegistry() {
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        front = RegistryFront.dockerHub(registry.url(), false);
    }

    @AfterEach
    void stopRegistry() {
        if (front != null) {
            front.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void storesEverythingAsTagsOfTheOneRepository() throws Exception {
        assertThat(cli("upload", "module", Path.of("examples/modules").toAbsolutePath().toString())).isZero();
        try (ArtifactStore raw = new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty()))) {
            assertThat(raw.listTags(REPOSITORY)).contains("modules..example..hello..null._example-hello-null-1.0.0");
        }
    }

    @Test
    void withoutTheFlagTheRefusalNamesIt() {
        List<String> nested = List.of("--storage-oci-registry", front.url(), "--storage-oci-repository", REPOSITORY, "--storage-oci-flat=false");
        CliRun run = cliWith(nested, "upload", "module", Path.of("examples/modules").toAbsolutePath().toString());
        assertThat(run.code()).isNotZero();
        assertThat(run.stderr()).contains("--storage-oci-flat").contains(REPOSITORY + "/modules/example/hello/null");
        try (RegistryFront denying = RegistryFront.dockerHub(registry.url(), true)) {
            List<String> viaDenied = List.of("--storage-oci-registry", denying.url(), "--storage-oci-repository", REPOSITORY,
                    "--storage-oci-flat=false");
            CliRun denied = cliWith(viaDenied, "upload", "module", Path.of("examples/modules").toAbsolutePath().toString());
            assertThat(denied.code()).isNotZero();
            assertThat(denied.stderr()).contains("--storage-oci-flat");
        }
    }

    @Override
    String repository() {
        return REPOSITORY;
    }

    @Override
    List<String> storageArgs() {
        return List.of("--storage-oci-registry", front.url(), "--storage-oci-repository", REPOSITORY, "--storage-oci-flat");
    }

    @Override
    ArtifactStore openStore() {
        return RepositoryLayout.flat(TerraformLayout.under(REPOSITORY))
                .over(new RegistryArtifactStore(new RegistrySettings(front.url(), false, Optional.empty())));
    }
}
