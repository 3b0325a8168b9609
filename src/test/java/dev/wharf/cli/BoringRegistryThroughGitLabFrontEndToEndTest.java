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

/** The terraform scenarios through a front that enforces GitLab's depth rule, with --storage-oci-flat. */
class BoringRegistryThroughGitLabFrontEndToEndTest extends BoringRegistryEndToEndScenarios {
    static final String REPOSITORY = "group/project/boring-registry";
    DockerRegistryServer registry;
    RegistryFront front;

    @BeforeEach
    void startRegistry() {
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        front = RegistryFront.gitLab(registry.url(), "group/project");
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
    void withoutTheFlagTheRefusalNamesIt() {
        List<String> nested = List.of("--storage-oci-registry", front.url(), "--storage-oci-repository", REPOSITORY);
        CliRun run = cliWith(nested, "upload", "module", Path.of("examples/modules").toAbsolutePath().toString());
        assertThat(run.code()).isNotZero();
        assertThat(run.stderr()).contains("--storage-oci-flat").contains(REPOSITORY + "/modules/example/hello/null");
    }

    @Test
    void aProjectThatDoesNotExistIsNamedForCreation() {
        List<String> flat = List.of("--storage-oci-registry", front.url(), "--storage-oci-repository", "other/project", "--storage-oci-flat");
        CliRun run = cliWith(flat, "upload", "module", Path.of("examples/modules").toAbsolutePath().toString());
        assertThat(run.code()).isNotZero();
        assertThat(run.stderr()).contains("wants the repository 'other/project' created before the first push");
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
