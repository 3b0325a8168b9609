package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.cli.boring.EnvironmentDefaults;
import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.Digest;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.PgpKeys;
import dev.wharf.testing.RequiredTool;
import dev.wharf.testing.TerraformCli;
import dev.wharf.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code boring-registry import DIR} over a bucket copy built here in boring-registry's own storage
 * layout (pkg/storage/path.go): a module tar.gz made by {@code tar}, two providers in two namespaces
 * signed with their own test keys, and a provider mirrored from registry.terraform.io. Storage is
 * Debian's docker-registry on 127.0.0.1; terraform installs from what was imported.
 */
class BoringRegistryImportTest {
    private static final String REPOSITORY = "boring-registry";

    @TempDir
    Path dir;

    DockerRegistryServer registry;
    TestCertificates.SelfSigned certificate;
    Path certFile;

    @BeforeEach
    void start() throws IOException {
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        certificate = TestCertificates.localhost();
        certFile = certificate.writePem(dir.resolve("tls"));
    }

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    /** Layout flags given to import and server alike. */
    List<String> layoutFlags = List.of();

    @Test
    void bucketCopyIsImportedOnceAndTerraformInstallsFromIt() throws Exception {
        importOnceAndInstall();
    }

    @Test
    void flatLayoutImportKeepsEverythingInOneRepositoryAndTerraformInstallsFromIt() throws Exception {
        layoutFlags = List.of("--storage-oci-flat");
        importOnceAndInstall();
        try (ArtifactStore store = store()) {
            TerraformLayout layout = TerraformLayout.under(REPOSITORY);
            assertThat(store.listTags(layout.moduleRepository("example", "hello", "null"))).isEmpty();
            assertThat(store.listTags(layout.providerRepository("acme", "dummy"))).isEmpty();
            assertThat(store.listTags(REPOSITORY)).hasSizeGreaterThanOrEqualTo(10);
        }
    }

    private void importOnceAndInstall() throws Exception {
        Path bucket = bucket(dir.resolve("bucket"));

        Run dryRun = importing(bucket, "--dry-run");
        assertThat(dryRun.exit()).as(dryRun.out()).isZero();
        assertThat(dryRun.out())
                .contains("would copy    module example/hello/null 1.0.0")
                .contains("would copy    provider acme/dummy 1.0.0")
                .contains("would copy    provider beta/other 2.1.0")
                .contains("would copy    mirrored provider registry.terraform.io/hashicorp/mirrored 3.2.1")
                .contains("dry run, nothing stored: 6 would be copied, 0 already there, 0 refused");
        try (ArtifactStore store = store()) {
            TerraformLayout layout = TerraformLayout.under(REPOSITORY);
            assertThat(store.listTags(layout.moduleRepository("example", "hello", "null"))).isEmpty();
            assertThat(store.listTags(layout.providerRepository("acme", "dummy"))).isEmpty();
            assertThat(store.listTags(layout.signingKeysRepository("acme"))).isEmpty();
            assertThat(store.listTags(REPOSITORY)).isEmpty();
        }

        Run first = importing(bucket);
        assertThat(first.exit()).as(first.out()).isZero();
        assertThat(first.out()).contains("copied        provider acme/dummy 1.0.0: 1 file, signed by")
                .contains("6 copied, 0 already there, 0 refused");

        Run second = importing(bucket);
        assertThat(second.exit()).as(second.out()).isZero();
        assertThat(second.out()).contains("already there module example/hello/null 1.0.0")
                .contains("0 copied, 6 already there, 0 refused").doesNotContain("copied        ");

        try (ServerCommand.Running server = server()) {
            String host = "127.0.0.1:" + server.registry().port();
            Path config = Files.createTempFile(dir, "terraformrc-", ".tfrc");
            TerraformCli.writeConfig(config, host, null);
            Path root = workspace("registry", """
                    terraform {
                      required_providers {
                        dummy = { source = "%1$s/acme/dummy", version = "1.0.0" }
                        other = { source = "%1$s/beta/other", version = "2.1.0" }
                      }
                    }
                    module "hello" {
                      source  = "%1$s/example/hello/null"
                      version = "1.0.0"
                      name    = "import"
                    }
                    """.formatted(host));
            TerraformCli.Result init = new TerraformCli(config, certFile).run(root, "init", "-no-color");
            assertThat(init.ok()).as(init.output()).isTrue();
            assertThat(init.output()).contains("Installed " + host + "/acme/dummy v1.0.0")
                    .contains("Installed " + host + "/beta/other v2.1.0");
            assertThat(root.resolve(".terraform/modules/hello/main.tf")).exists();

            Path mirrorConfig = Files.writeString(Files.createTempFile(dir, "mirror-", ".tfrc"), """
                    provider_installation {
                      network_mirror { url = "https://%s/v1/mirror/" }
                    }
                    """.formatted(host));
            Path mirrored = workspace("mirror", """
                    terraform {
                      required_providers {
                        mirrored = { source = "hashicorp/mirrored", version = "3.2.1" }
                      }
                    }
                    """);
            TerraformCli.Result mirrorInit = new TerraformCli(mirrorConfig, certFile).run(mirrored, "init", "-no-color");
            assertThat(mirrorInit.ok()).as(mirrorInit.output()).isTrue();
            assertThat(mirrorInit.output()).contains("Installed hashicorp/mirrored v3.2.1");
        }
    }

    /** boring-registry still reads a namespace's signing-keys.json holding one key on its own (pkg/storage/storage.go). */
    @Test
    void theOlderSingleKeySigningKeysJsonIsImported() throws Exception {
        Path bucket = bucket(dir.resolve("bucket"));
        for (Path keys : List.of(bucket.resolve("providers/acme/signing-keys.json"),
                bucket.resolve("mirror/providers/registry.terraform.io/hashicorp/signing-keys.json"))) {
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            Files.writeString(keys, json.writeValueAsString(json.readTree(keys.toFile()).path("gpg_public_keys").get(0)));
        }

        Run run = importing(bucket);
        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.out()).contains("copied        provider acme/dummy 1.0.0: 1 file, signed by")
                .contains("copied        mirrored provider registry.terraform.io/hashicorp/mirrored 3.2.1")
                .contains("6 copied, 0 already there, 0 refused");
    }

    /**
     * Terraform lower-cases a provider's namespace before asking for it, and Wharf stores the namespace
     * so: a bucket's {@code Acme} and {@code acme} (boring-registry keeps both as given) are one
     * namespace, whose keys check the releases of either, in a dry run as in the real one.
     */
    @Test
    void signingKeysOfANamespaceSpelledInAnotherCaseAreMergedWithItsOwn() throws Exception {
        Path bucket = bucket(dir.resolve("bucket"));
        PgpKeys second = PgpKeys.generate("Acme Two <acme2@wharf.invalid>");
        provider(bucket.resolve("providers"), "Acme", "more", "1.1.0", second);
        Files.move(bucket.resolve("providers/Acme/more"), bucket.resolve("providers/acme/more"));
        PgpKeys upstreamTwo = PgpKeys.generate("Upstream Two <upstream2@wharf.invalid>");
        provider(bucket.resolve("mirror/providers/registry.terraform.io"), "HashiCorp", "extra", "1.0.0", upstreamTwo);
        Files.move(bucket.resolve("mirror/providers/registry.terraform.io/HashiCorp/extra"),
                bucket.resolve("mirror/providers/registry.terraform.io/hashicorp/extra"));

        Run dryRun = importing(bucket, "--dry-run");
        // It was "refused       provider acme/more 1.1.0: … not signed by any key of namespace acme" in the dry run alone.
        assertThat(dryRun.out()).contains("would copy    provider acme/more 1.1.0")
                .contains("would copy    mirrored provider registry.terraform.io/hashicorp/extra 1.0.0")
                .contains(" 0 refused");
        assertThat(dryRun.exit()).as(dryRun.out()).isZero();

        Run run = importing(bucket);
        // It was "refused       mirrored provider registry.terraform.io/hashicorp/extra 1.0.0: …", its key being in HashiCorp's file.
        assertThat(run.out()).contains("copied        provider acme/more 1.1.0")
                .contains("copied        mirrored provider registry.terraform.io/hashicorp/extra 1.0.0")
                .contains(" 0 refused");
        assertThat(run.exit()).as(run.out()).isZero();

        try (ServerCommand.Running server = server()) {
            java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().sslContext(certificate.trustingContext()).build();
            String base = "https://127.0.0.1:" + server.registry().port();
            var download = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base
                    + "/v1/providers/acme/more/1.1.0/download/linux/amd64")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(download.statusCode()).as(download.body()).isEqualTo(200);
            var keys = new com.fasterxml.jackson.databind.ObjectMapper().readTree(download.body()).path("signing_keys").path("gpg_public_keys");
            List<String> ids = new ArrayList<>();
            keys.forEach(k -> ids.add(k.path("key_id").asText()));
            assertThat(ids).containsExactlyInAnyOrder(dev.wharf.terraform.provider.SignatureVerifier.primaryKeyId(second.armoredPublicKey()),
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(bucket.resolve("providers/acme/signing-keys.json").toFile())
                            .path("gpg_public_keys").path(0).path("key_id").asText());
            var mirrored = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base
                    + "/v1/mirror/registry.terraform.io/hashicorp/extra/index.json")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(mirrored.statusCode()).as(mirrored.body()).isEqualTo(200);
            assertThat(mirrored.body()).contains("\"1.0.0\"");
        }
    }

    @Test
    void aTamperedZipIsRefusedAndLeavesNothingOfItsRelease() throws Exception {
        Path bucket = bucket(dir.resolve("bucket"));
        Path zip = bucket.resolve("providers/acme/dummy/terraform-provider-dummy_1.0.0_linux_amd64.zip");
        Files.write(zip, providerZip("dummy", "1.0.0", "#!/bin/sh\necho evil\n"));

        Run run = importing(bucket);
        assertThat(run.exit()).as(run.out()).isEqualTo(1);
        assertThat(run.out()).contains("refused       provider acme/dummy 1.0.0: " + zip.toAbsolutePath() + " does not match its SHA256SUMS entry")
                .contains("copied        provider beta/other 2.1.0")
                .contains("5 copied, 0 already there, 1 refused");
        try (ArtifactStore store = store()) {
            assertThat(store.listTags(TerraformLayout.under(REPOSITORY).providerRepository("acme", "dummy"))).isEmpty();
        }

        Run again = importing(bucket);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.out()).contains("0 copied, 5 already there, 1 refused");
        try (ArtifactStore store = store()) {
            assertThat(store.listTags(TerraformLayout.under(REPOSITORY).providerRepository("acme", "dummy"))).isEmpty();
        }
    }

    @Test
    void aReleaseStoredWithOtherContentIsRefusedNotOverwritten() throws Exception {
        Path bucket = bucket(dir.resolve("bucket"));
        assertThat(importing(bucket).exit()).isZero();
        Path other = bucket(dir.resolve("other-bucket"));
        Run run = importing(other);
        assertThat(run.exit()).as(run.out()).isEqualTo(1);
        assertThat(run.out()).contains("refused       provider acme/dummy 1.0.0: ")
                .contains("refused       mirrored provider registry.terraform.io/hashicorp/mirrored 3.2.1: ");
    }

    @Test
    void unsafeModuleArchivesAndStrayFilesAreRefusedByNameEvenInADryRun() throws Exception {
        Path bucket = bucket(dir.resolve("bucket"));
        Path escaping = bucket.resolve("modules/example/evil/null/example-evil-null-1.0.0.tar.gz");
        Files.createDirectories(escaping.getParent());
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                new java.util.zip.GZIPOutputStream(Files.newOutputStream(escaping)))) {
            byte[] content = "output \"x\" { value = 1 }\n".getBytes(StandardCharsets.UTF_8);
            var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("../outside.tf");
            entry.setSize(content.length);
            out.putArchiveEntry(entry);
            out.write(content);
            out.closeArchiveEntry();
        }
        Files.writeString(bucket.resolve("modules/example/hello/null/example-hello-null-2.0.0.tar.gz"), "not a tar.gz");
        Path lonelyZip = bucket.resolve("providers/acme/dummy/terraform-provider-dummy_9.9.9_linux_amd64.zip");
        Files.write(lonelyZip, providerZip("dummy", "9.9.9", "#!/bin/sh\n"));

        Run run = importing(bucket, "--dry-run");
        assertThat(run.exit()).as(run.out()).isEqualTo(1);
        assertThat(run.out())
                .contains("refused       module example/evil/null 1.0.0: " + escaping + " holds the entry '../outside.tf'")
                .contains("refused       module example/hello/null 2.0.0: ")
                .contains("is not a readable tar.gz")
                .contains("refused       " + bucket.relativize(lonelyZip) + ": not a file of boring-registry's storage layout")
                .contains("would copy    module example/hello/null 1.0.0")
                .contains("dry run, nothing stored: 6 would be copied, 0 already there, 3 refused");
        try (ArtifactStore store = store()) {
            assertThat(store.listTags(TerraformLayout.under(REPOSITORY).moduleRepository("example", "evil", "null"))).isEmpty();
            assertThat(store.listTags(TerraformLayout.under(REPOSITORY).moduleRepository("example", "hello", "null"))).isEmpty();
        }
    }

    private record Run(int exit, String out) {
    }

    private Run importing(Path bucket, String... extra) {
        List<String> args = new ArrayList<>(List.of("import", "--storage-oci-registry", registry.url(),
                "--storage-oci-repository", REPOSITORY));
        args.addAll(layoutFlags);
        args.addAll(List.of(extra));
        args.add(bucket.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(args.toArray(String[]::new));
        assertThat(err.toString()).as("stderr").doesNotContain("Exception");
        return new Run(exit, out + err.toString());
    }

    private ArtifactStore store() {
        return new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty()));
    }

    private ServerCommand.Running server() {
        List<String> args = new ArrayList<>(List.of("--listen-address", "127.0.0.1:0", "--listen-telemetry-address", "127.0.0.1:0",
                "--tls-cert-file", certFile.toString(), "--tls-key-file", certFile.resolveSibling("key.pem").toString(),
                "--storage-oci-registry", registry.url(), "--storage-oci-repository", REPOSITORY));
        args.addAll(layoutFlags);
        ServerCommand command = new ServerCommand();
        new CommandLine(command).setDefaultValueProvider(new EnvironmentDefaults(Map.of())).parseArgs(args.toArray(String[]::new));
        return command.start();
    }

    private Path workspace(String name, String mainTf) throws IOException {
        Path root = Files.createDirectories(dir.resolve("work").resolve(name));
        Files.writeString(root.resolve("main.tf"), mainTf);
        return root;
    }

    /** A bucket copy in boring-registry's layout, each provider signed by a key of its own. */
    private Path bucket(Path root) throws Exception {
        Path moduleSource = Files.createDirectories(root.resolveSibling(root.getFileName() + "-module-src"));
        Files.writeString(moduleSource.resolve("main.tf"), """
                variable "name" {
                  type = string
                }
                output "greeting" {
                  value = "hello, ${var.name}"
                }
                """);
        Path modules = Files.createDirectories(root.resolve("modules/example/hello/null"));
        tar(moduleSource, modules.resolve("example-hello-null-1.0.0.tar.gz"));

        provider(root.resolve("providers"), "acme", "dummy", "1.0.0", PgpKeys.generate("Acme <acme@wharf.invalid>"));
        provider(root.resolve("providers"), "beta", "other", "2.1.0", PgpKeys.generate("Beta <beta@wharf.invalid>"));
        provider(root.resolve("mirror/providers/registry.terraform.io"), "hashicorp", "mirrored", "3.2.1",
                PgpKeys.generate("Upstream <upstream@wharf.invalid>"));
        return root;
    }

    private static void provider(Path base, String namespace, String name, String version, PgpKeys key) throws IOException {
        Path dir = Files.createDirectories(base.resolve(namespace).resolve(name));
        String zipName = "terraform-provider-" + name + "_" + version + "_linux_amd64.zip";
        byte[] zip = providerZip(name, version, "#!/bin/sh\necho " + name + " " + version + " " + key.armoredPublicKey().hashCode() + "\n");
        Files.write(dir.resolve(zipName), zip);
        // SHA256SUMS lists a platform the bucket does not hold, as a mirror's does.
        byte[] sums = (Digest.sha256(zip).hex() + "  " + zipName + "\n"
                + "0".repeat(64) + "  terraform-provider-" + name + "_" + version + "_darwin_arm64.zip\n").getBytes(StandardCharsets.UTF_8);
        Path sumsFile = dir.resolve("terraform-provider-" + name + "_" + version + "_SHA256SUMS");
        Files.write(sumsFile, sums);
        Files.write(dir.resolve(sumsFile.getFileName() + ".sig"), key.detachedSignature(sums));
        String keyId = dev.wharf.terraform.provider.SignatureVerifier.primaryKeyId(key.armoredPublicKey());
        String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of("gpg_public_keys",
                List.of(Map.of("key_id", keyId, "ascii_armor", key.armoredPublicKey()))));
        Files.writeString(base.resolve(namespace).resolve("signing-keys.json"), json);
    }

    private static byte[] providerZip(String name, String version, String script) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("terraform-provider-" + name + "_v" + version));
            zip.write(script.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    private static void tar(Path source, Path archive) throws Exception {
        Path tar = RequiredTool.require("tar", "tar");
        Process process = new ProcessBuilder(tar.toString(), "-czf", archive.toString(), "-C", source.toString(), ".")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
