package dev.wharf.cli;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.http.access.NewToken;
import dev.wharf.testing.Publishing;
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

    /** A CI run over a tree had pushed the modules sorted before a bad one, then stopped: half the tree published. */
    @Test
    void aRecursiveUploadWithBadModulesNamesEachAndPushesNone() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        module(tree, "a-network", "network", "1.0.0");
        Path badVersion = module(tree, "b-storage", "storage", "1.0");
        Path escaping = module(tree, "c-compute", "compute", "1.0.0");
        Files.createSymbolicLink(escaping.resolve("variables.tf"), Path.of("../a-network/main.tf"));

        CliRun run = cliWith(storageArgs(), "upload", "module", tree.toString());

        assertThat(run.code()).isEqualTo(1);
        List<String> lines = run.stderr().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("boring-registry: 2 of 3 modules cannot be uploaded, so none was pushed:");
        assertThat(lines.get(1)).startsWith("  " + badVersion.resolve("boring-registry.hcl") + ": ").contains("1.0");
        assertThat(lines.get(2)).startsWith("  cannot archive " + escaping + ": 'variables.tf' is a symbolic link to '../a-network/main.tf'");
        TerraformLayout layout = TerraformLayout.under(repository());
        try (ArtifactStore store = openStore()) {
            for (String name : List.of("network", "storage", "compute")) {
                assertThat(store.listTags(layout.moduleRepository("example", name, "null"))).as(name).isEmpty();
            }
        }
    }

    /**
     * Versions terraform takes for one (they differ only in build metadata) had been found only at
     * push time, after the modules sorted before them were pushed: one already stored, or two in the tree.
     */
    @Test
    void aRecursiveUploadNamesVersionsThatDifferOnlyInBuildMetadataAndPushesNone() throws Exception {
        Path stored = module(dir.resolve("earlier"), "network", "network", "1.0.0+a");
        assertThat(cli("upload", "module", stored.toString())).isZero();
        Path tree = Files.createDirectories(dir.resolve("tree"));
        module(tree, "a-compute", "compute", "1.0.0");
        Path network = module(tree, "b-network", "network", "1.0.0+b");
        Path first = module(tree, "c-storage", "storage", "2.0.0+x");
        Path second = module(tree, "d-storage", "storage", "2.0.0+y");

        CliRun run = cliWith(storageArgs(), "upload", "module", "--ignore-existing=false", tree.toString());

        assertThat(run.code()).as(run.stderr()).isEqualTo(1);
        List<String> lines = run.stderr().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("boring-registry: 2 of 4 modules cannot be uploaded, so none was pushed:");
        assertThat(lines.get(1)).isEqualTo("  module example/network/null version 1.0.0+b is version 1.0.0+a to terraform, which is stored:"
                + " versions that differ only in build metadata are one version, never overwritten (use --ignore-existing to skip"
                + " existing versions)");
        assertThat(lines.get(2)).isEqualTo("  " + second.resolve("boring-registry.hcl") + ": module example/storage/null version 2.0.0+y"
                + " is version 2.0.0+x to terraform, given by " + first.resolve("boring-registry.hcl") + "; versions that differ only in"
                + " build metadata are one version, uploaded once");
        TerraformLayout layout = TerraformLayout.under(repository());
        try (ArtifactStore store = openStore()) {
            assertThat(store.listTags(layout.moduleRepository("example", "compute", "null"))).isEmpty();
            assertThat(store.listTags(layout.moduleRepository("example", "storage", "null"))).isEmpty();
            assertThat(store.listTags(layout.moduleRepository("example", "network", "null"))).hasSize(1);
        }

        // --ignore-existing (the default) skips the stored one, as it did: the others are pushed.
        Files.delete(second.resolve("boring-registry.hcl"));
        CliRun again = cliWith(storageArgs(), "upload", "module", tree.toString());
        assertThat(again.code()).as(again.stderr()).isZero();
        try (ArtifactStore store = openStore()) {
            assertThat(store.listTags(layout.moduleRepository("example", "compute", "null"))).hasSize(1);
            assertThat(store.listTags(layout.moduleRepository("example", "storage", "null"))).hasSize(1);
            assertThat(store.listTags(layout.moduleRepository("example", "network", "null"))).hasSize(1);
        }
        assertThat(network).isDirectory();
    }

    /**
     * With --server, whether a version was stored had been known only from the server's 409 at the
     * push, after the modules sorted before it were published; a publish-only CI token now asks first.
     */
    @Test
    void aRecursiveUploadThroughTheServerNamesEveryStoredVersionAndPushesNone() throws Exception {
        assertThat(cli("upload", "module", module(dir.resolve("earlier/network"), "network", "network", "1.0.0").toString())).isZero();
        assertThat(cli("upload", "module", module(dir.resolve("earlier/storage"), "storage", "storage", "2.0.0+a").toString())).isZero();
        Path tree = Files.createDirectories(dir.resolve("tree"));
        module(tree, "a-compute", "compute", "1.0.0");
        module(tree, "b-network", "network", "1.0.0");
        module(tree, "c-storage", "storage", "2.0.0+b");
        NewToken ci = Publishing.token("ci", "publish:example/*");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), ci);
        TerraformLayout layout = TerraformLayout.under(repository());
        try (ServerCommand.Running server = server("--auth-tokens-file", tokens.toString())) {
            List<String> target = List.of("--server", "https://127.0.0.1:" + server.registry().port(), "--token", ci.token(),
                    "--server-ca-file", certFile.toString());

            CliRun run = cliWith(target, "upload", "module", "--ignore-existing=false", tree.toString());

            assertThat(run.code()).as(run.stderr()).isEqualTo(1);
            List<String> lines = run.stderr().lines().toList();
            assertThat(lines).hasSize(3);
            assertThat(lines.get(0)).isEqualTo("boring-registry: 2 of 3 modules cannot be uploaded, so none was pushed:");
            assertThat(lines.get(1)).isEqualTo("  module example/network/null version 1.0.0 already exists; it is never overwritten"
                    + " (use --ignore-existing to skip existing versions)");
            assertThat(lines.get(2)).startsWith("  module example/storage/null version 2.0.0+b is version 2.0.0+a to terraform, which is stored");
            try (ArtifactStore store = openStore()) {
                assertThat(store.listTags(layout.moduleRepository("example", "compute", "null"))).isEmpty();
            }

            // --ignore-existing (the default) skips both, as it did: the new module is published.
            CliRun again = cliWith(target, "upload", "module", tree.toString());
            assertThat(again.code()).as(again.stderr()).isZero();
        }
        try (ArtifactStore store = openStore()) {
            assertThat(store.listTags(layout.moduleRepository("example", "compute", "null"))).hasSize(1);
            assertThat(store.listTags(layout.moduleRepository("example", "network", "null"))).hasSize(1);
            assertThat(store.listTags(layout.moduleRepository("example", "storage", "null"))).hasSize(1);
        }
    }

    private static Path module(Path tree, String folder, String name, String version) throws Exception {
        Path module = Files.createDirectories(tree.resolve(folder));
        Files.writeString(module.resolve("boring-registry.hcl"), "metadata {\n  namespace = \"example\"\n  name = \"" + name
                + "\"\n  provider = \"null\"\n  version = \"" + version + "\"\n}\n");
        Files.writeString(module.resolve("main.tf"), "output \"name\" {\n  value = \"" + name + "\"\n}\n");
        return module;
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
