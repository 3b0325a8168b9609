package dev.wharf.cli;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.TerraformCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

    /** Once, not per backend: what is archived does not depend on the storage. */
    @Test
    void aModuleWhoseFilesAreLinksIsInstalledWithTheirContentAndALinkLeadingOutIsRefused() throws Exception {
        Path module = Files.createDirectories(dir.resolve("modules/hello"));
        Files.writeString(module.resolve("boring-registry.hcl"),
                "metadata {\n  namespace = \"example\"\n  name = \"linked\"\n  provider = \"null\"\n  version = \"1.0.0\"\n}\n");
        Files.writeString(module.resolve("main.tf"), "output \"greeting\" {\n  value = \"hello, ${var.name}\"\n}\n");
        Files.writeString(Files.createDirectories(module.resolve("common")).resolve("variables.tf"),
                "variable \"name\" {\n  type    = string\n  default = \"linked\"\n}\n");
        Files.createSymbolicLink(module.resolve("variables.tf"), Path.of("common/variables.tf"));
        assertThat(cli("upload", "module", module.toString())).isZero();

        // The same link leading out of the module: refused, nothing stored.
        Path escaping = Files.createDirectories(dir.resolve("modules/escaping"));
        Files.writeString(escaping.resolve("boring-registry.hcl"),
                "metadata {\n  namespace = \"example\"\n  name = \"escaping\"\n  provider = \"null\"\n  version = \"1.0.0\"\n}\n");
        Files.writeString(escaping.resolve("main.tf"), "output \"greeting\" {\n  value = \"hello, ${var.name}\"\n}\n");
        Files.createSymbolicLink(escaping.resolve("variables.tf"), Path.of("../hello/common/variables.tf"));
        assertThat(cli("upload", "module", escaping.toString())).isNotZero();
        assertThat(openStore().listTags(TerraformLayout.under(repository()).moduleRepository("example", "escaping", "null"))).isEmpty();

        try (ServerCommand.Running server = server()) {
            String host = "127.0.0.1:" + server.registry().port();
            TerraformCli terraform = terraform(null, host);
            Path root = workspace("module-linked", """
                    module "linked" {
                      source  = "%s/example/linked/null"
                      version = "1.0.0"
                    }
                    output "greeting" {
                      value = module.linked.greeting
                    }
                    """.formatted(host));
            TerraformCli.Result init = terraform.run(root, "init", "-no-color");
            assertThat(init.ok()).as(init.output()).isTrue();
            assertThat(root.resolve(".terraform/modules/linked/variables.tf")).isRegularFile().isNotEmptyFile();
            TerraformCli.Result apply = terraform.run(root, "apply", "-auto-approve", "-no-color");
            assertThat(apply.ok()).as(apply.output()).isTrue();
            assertThat(terraform.run(root, "output", "-raw", "greeting").output()).isEqualTo("hello, linked");
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
