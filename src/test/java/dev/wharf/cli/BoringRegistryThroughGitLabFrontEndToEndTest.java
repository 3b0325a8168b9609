package dev.wharf.cli;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.Manifest;
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

/**
 * The terraform scenarios through a front that enforces GitLab's depth rule, with --storage-oci-flat, and its list of
 * media types (so every push takes the portable form).
 */
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

    @Test
    void gitLabsListOfMediaTypesGetsThePortableFormAfterOneRefusal() {
        CliRun run = cliWith(storageArgs(), "upload", "module", Path.of("examples/modules").toAbsolutePath().toString());
        assertThat(run.code()).as(run.stderr()).isZero();
        assertThat(front.manifestsRefused()).as("the first manifest, in the typed form; the others start portable").isEqualTo(1);
        try (RegistryArtifactStore direct = new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty()))) {
            List<String> tags = direct.listTags(REPOSITORY);
            assertThat(tags).isNotEmpty();
            for (String tag : tags) {
                Manifest stored = direct.resolve(REPOSITORY, tag).orElseThrow();
                assertThat(stored.artifactType()).as(tag).isNull();
                assertThat(stored.config().mediaType()).as(tag).isEqualTo(Manifest.OCI_EMPTY);
            }
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
