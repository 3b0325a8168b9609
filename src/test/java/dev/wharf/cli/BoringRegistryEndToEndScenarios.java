package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.cli.boring.EnvironmentDefaults;
import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Layer;
import dev.wharf.terraform.layout.MediaTypes;
import dev.wharf.terraform.layout.ProviderFile;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.provider.SigningKeys;
import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.http.access.NewToken;
import dev.wharf.testing.PgpKeys;
import dev.wharf.testing.Publishing;
import dev.wharf.testing.TerraformCli;
import dev.wharf.testing.TestCertificates;
import dev.wharf.testing.WharfProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The proof with the real terraform CLI, run once per storage backend: Wharf over TLS on
 * 127.0.0.1 with a certificate made here, modules and providers put in with the upload commands,
 * and terraform init/apply against them.
 */
abstract class BoringRegistryEndToEndScenarios {
    @TempDir
    Path dir;

    Path certFile;
    Path keyFile;
    TestCertificates.SelfSigned certificate;

    /** The storage flags for both upload and server commands. */
    abstract List<String> storageArgs();

    /** The value of --storage-oci-repository in {@link #storageArgs()}. */
    String repository() {
        return "boring-registry";
    }

    /** The same storage, opened directly, to damage it the way a broken or hostile store would. */
    abstract ArtifactStore openStore();

    @BeforeEach
    void certificate() throws IOException {
        certificate = TestCertificates.localhost();
        certFile = certificate.writePem(dir.resolve("tls"));
        keyFile = dir.resolve("tls/key.pem");
    }

    @Test
    void moduleUploadedWithTheCliIsInstalledAndAppliedByTerraform() throws Exception {
        assertThat(cli("upload", "module", Path.of("examples/modules").toAbsolutePath().toString())).isZero();
        try (ServerCommand.Running server = server()) {
            String host = "127.0.0.1:" + server.registry().port();
            TerraformCli terraform = terraform(null, host);

            Path root = workspace("module-ok", """
                    module "hello" {
                      source  = "%s/example/hello/null"
                      version = "~> 1.0"
                      name    = "wharf"
                    }
                    output "greeting" {
                      value = module.hello.greeting
                    }
                    """.formatted(host));
            TerraformCli.Result init = terraform.run(root, "init", "-no-color");
            assertThat(init.ok()).as(init.output()).isTrue();
            TerraformCli.Result apply = terraform.run(root, "apply", "-auto-approve", "-no-color");
            assertThat(apply.ok()).as(apply.output()).isTrue();
            TerraformCli.Result output = terraform.run(root, "output", "-raw", "greeting");
            assertThat(output.output()).isEqualTo("hello, wharf");

            Path unmatched = workspace("module-unmatched", """
                    module "hello" {
                      source  = "%s/example/hello/null"
                      version = ">= 2.0.0"
                    }
                    """.formatted(host));
            TerraformCli.Result failed = terraform.run(unmatched, "init", "-no-color");
            assertThat(failed.ok()).isFalse();
            assertThat(failed.output()).contains("Unresolvable module version constraint").contains("newest available");
        }
    }

    @Test
    void signedProviderIsInstalledVerifiedAndLockedAndDamageIsRefused() throws Exception {
        PgpKeys key = PgpKeys.generate("Wharf test <test@wharf.invalid>");
        Path keyFileAsc = Files.writeString(dir.resolve("key.asc"), key.armoredPublicKey());
        assertThat(cli("upload", "signing-key", "--namespace", "acme", keyFileAsc.toString())).isZero();

        Path good = release("good", "1.0.0", key);
        assertThat(cli("upload", "provider", "--namespace", "acme", "--filename-sha256sums", good.toString())).isZero();
        Path tampered = release("tampered", "2.0.0", key);
        assertThat(cli("upload", "provider", "--namespace", "acme", "--filename-sha256sums", tampered.toString())).isZero();
        Path wrongKey = release("wrong", "3.0.0", key);
        assertThat(cli("upload", "provider", "--namespace", "acme", "--filename-sha256sums", wrongKey.toString())).isZero();

        TerraformLayout layout = TerraformLayout.under(repository());
        try (ArtifactStore store = openStore()) {
            ProviderFile zip = ProviderFile.archive("dummy", "2.0.0", "linux", "amd64");
            store.push(layout.providerRepository("acme", "dummy"), layout.providerTag(zip), Artifact.single(MediaTypes.PROVIDER_ARTIFACT,
                    Layer.file(MediaTypes.PROVIDER_ARCHIVE, zip.fileName(), BlobSource.ofBytes(providerZip("2.0.0", "#!/bin/sh\necho evil\n")))), true);
        }

        try (ServerCommand.Running server = server()) {
            String host = "127.0.0.1:" + server.registry().port();
            TerraformCli terraform = terraform(null, host);
            Path root = workspace("provider-ok", providerConfig(host, "1.0.0"));
            TerraformCli.Result init = terraform.run(root, "init", "-no-color");
            assertThat(init.ok()).as(init.output()).isTrue();
            assertThat(init.output()).contains("self-signed");
            String zipHash = Digest.sha256(Files.readAllBytes(good.resolveSibling("terraform-provider-dummy_1.0.0_linux_amd64.zip"))).hex();
            assertThat(Files.readString(root.resolve(".terraform.lock.hcl"))).contains("\"zh:" + zipHash + "\"");

            TerraformCli.Result damaged = terraform.run(workspace("provider-tampered", providerConfig(host, "2.0.0")), "init", "-no-color");
            assertThat(damaged.ok()).as(damaged.output()).isFalse();
            assertThat(damaged.output()).containsIgnoringCase("checksum");

            PgpKeys other = PgpKeys.generate("Someone else <other@wharf.invalid>");
            try (ArtifactStore store = openStore()) {
                byte[] keys = new ObjectMapper().writeValueAsBytes(new SigningKeys(List.of(new SigningKeys.GpgPublicKey("0000000000000000",
                        other.armoredPublicKey()))));
                store.push(layout.signingKeysRepository("acme"), TerraformLayout.SIGNING_KEYS_TAG, Artifact.single(MediaTypes.SIGNING_KEYS_ARTIFACT,
                        Layer.file(MediaTypes.SIGNING_KEYS, TerraformLayout.SIGNING_KEYS_TAG, BlobSource.ofBytes(keys))), true);
            }
        }
        try (ServerCommand.Running server = server()) {
            String host = "127.0.0.1:" + server.registry().port();
            TerraformCli.Result refused = terraform(null, host).run(workspace("provider-wrong-key", providerConfig(host, "3.0.0")), "init", "-no-color");
            assertThat(refused.ok()).as(refused.output()).isFalse();
            assertThat(refused.output()).containsIgnoringCase("signature");
        }
    }

    @Test
    void proxiedProviderDownloadsAreKeptInTheDownloadCacheAndServedFromIt() throws Exception {
        PgpKeys key = PgpKeys.generate("Wharf test <test@wharf.invalid>");
        assertThat(cli("upload", "signing-key", "--namespace", "acme", Files.writeString(dir.resolve("key.asc"), key.armoredPublicKey()).toString()))
                .isZero();
        Path good = release("cached", "1.0.0", key);
        assertThat(cli("upload", "provider", "--namespace", "acme", "--filename-sha256sums", good.toString())).isZero();
        byte[] zip = Files.readAllBytes(good.resolveSibling("terraform-provider-dummy_1.0.0_linux_amd64.zip"));
        Path cache = dir.resolve("download-cache");

        try (ServerCommand.Running server = server("--download-proxy", "--download-cache-dir", cache.toString())) {
            String host = "127.0.0.1:" + server.registry().port();
            // Twice, each with a fresh workspace: the second download is the one the cache answers.
            for (String name : List.of("cache-first", "cache-second")) {
                TerraformCli.Result init = terraform(null, host).run(workspace(name, providerConfig(host, "1.0.0")), "init", "-no-color");
                assertThat(init.ok()).as(init.output()).isTrue();
            }
        }
        Path kept = cache.resolve("sha256-" + Digest.sha256(zip).hex());
        if (storageArgs().contains("--storage-oci-registry")) {
            assertThat(kept).exists();
            assertThat(Files.readAllBytes(kept)).isEqualTo(zip);
        } else {
            // The embedded layout is a local folder already; nothing is copied.
            assertThat(kept).doesNotExist();
        }
    }

    @Test
    void staticTokensGuardTheApiAndFileUrlsCarryTheirOwnSignature() throws Exception {
        assertThat(cli("upload", "module", Path.of("examples/modules").toAbsolutePath().toString())).isZero();
        try (ServerCommand.Running server = server("--auth-static-token", "first-token,s3cret-token")) {
            String host = "127.0.0.1:" + server.registry().port();
            String config = """
                    module "hello" {
                      source  = "%s/example/hello/null"
                      version = "1.0.0"
                    }
                    """.formatted(host);
            TerraformCli.Result withToken = terraform("s3cret-token", host).run(workspace("token-ok", config), "init", "-no-color");
            assertThat(withToken.ok()).as(withToken.output()).isTrue();
            TerraformCli.Result without = terraform(null, host).run(workspace("token-missing", config), "init", "-no-color");
            assertThat(without.ok()).as(without.output()).isFalse();
            TerraformCli.Result wrong = terraform("wrong-token", host).run(workspace("token-wrong", config), "init", "-no-color");
            assertThat(wrong.ok()).as(wrong.output()).isFalse();

            HttpClient http = HttpClient.newBuilder().sslContext(certificate.trustingContext()).build();
            URI base = URI.create("https://" + host);
            HttpResponse<String> download = http.send(HttpRequest.newBuilder(base.resolve("/v1/modules/example/hello/null/1.0.0/download"))
                    .header("Authorization", "Bearer first-token").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(download.statusCode()).isEqualTo(204);
            String signed = download.headers().firstValue("X-Terraform-Get").orElseThrow();
            assertThat(http.send(HttpRequest.newBuilder(base.resolve(signed)).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                    .isEqualTo(200);
            String unsigned = signed.substring(0, signed.indexOf('?'));
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(base.resolve(unsigned)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).contains("\"errors\"").contains("not signed");
            String forgedExpiry = signed.replaceAll("expires=\\d+", "expires=9999999999");
            assertThat(http.send(HttpRequest.newBuilder(base.resolve(forgedExpiry)).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(403);
            String pastExpiry = signed.replaceAll("expires=\\d+", "expires=1");
            assertThat(http.send(HttpRequest.newBuilder(base.resolve(pastExpiry)).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(403);
            assertThat(http.send(HttpRequest.newBuilder(base.resolve("/.well-known/terraform.json")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void moduleAndSignedProviderPublishedOverHttpAreInstalledByTerraform() throws Exception {
        NewToken admin = Publishing.token("admin", "admin");
        NewToken ci = Publishing.token("ci-acme", "publish:acme/*");
        NewToken reader = Publishing.token("reader", "read");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), admin, ci, reader);
        PgpKeys key = PgpKeys.generate("Wharf test <test@wharf.invalid>");
        Path keyFileAsc = Files.writeString(dir.resolve("key.asc"), key.armoredPublicKey());
        Path sums = release("published", "1.0.0", key);
        Path archive = Publishing.moduleArchive(Path.of("examples/modules/hello").toAbsolutePath(), dir.resolve("hello.tar.gz"));
        try (ServerCommand.Running server = server("--auth-tokens-file", tokens.toString())) {
            String host = "127.0.0.1:" + server.registry().port();
            URI base = URI.create("https://" + host);
            HttpClient http = HttpClient.newBuilder().sslContext(certificate.trustingContext()).build();

            HttpResponse<String> keyAnswer = Publishing.put(http, base.resolve("/api/v1/providers/acme/signing-keys"), admin.token(),
                    "application/pgp-keys", HttpRequest.BodyPublishers.ofFile(keyFileAsc));
            assertThat(keyAnswer.statusCode()).as(keyAnswer.body()).isEqualTo(201);
            JsonNode provider = Publishing.client(base, ci.token(), http).putFiles("/api/v1/providers/acme/dummy/1.0.0",
                    List.of(sums, sums.resolveSibling(sums.getFileName() + ".sig"),
                            sums.resolveSibling("terraform-provider-dummy_1.0.0_linux_amd64.zip")));
            String zipSha = Digest.sha256(Files.readAllBytes(sums.resolveSibling("terraform-provider-dummy_1.0.0_linux_amd64.zip"))).hex();
            assertThat(provider.path("files").path("terraform-provider-dummy_1.0.0_linux_amd64.zip").asText()).isEqualTo("sha256:" + zipSha);
            HttpResponse<String> module = Publishing.put(http, base.resolve("/api/v1/modules/acme/hello/null/1.0.0"), ci.token(),
                    "application/gzip", HttpRequest.BodyPublishers.ofFile(archive));
            assertThat(module.statusCode()).as(module.body()).isEqualTo(201);
            assertThat(module.body()).contains("\"digest\":\"sha256:" + Digest.sha256(Files.readAllBytes(archive)).hex() + "\"");

            TerraformCli terraform = terraform(reader.token(), host);
            Path root = workspace("published-module", """
                    module "hello" {
                      source  = "%s/acme/hello/null"
                      version = "1.0.0"
                      name    = "http"
                    }
                    output "greeting" {
                      value = module.hello.greeting
                    }
                    """.formatted(host));
            TerraformCli.Result init = terraform.run(root, "init", "-no-color");
            assertThat(init.ok()).as(init.output()).isTrue();
            TerraformCli.Result apply = terraform.run(root, "apply", "-auto-approve", "-no-color");
            assertThat(apply.ok()).as(apply.output()).isTrue();
            assertThat(terraform.run(root, "output", "-raw", "greeting").output()).isEqualTo("hello, http");
            Path providerRoot = workspace("published-provider", providerConfig(host, "1.0.0"));
            TerraformCli.Result providerInit = terraform.run(providerRoot, "init", "-no-color");
            assertThat(providerInit.ok()).as(providerInit.output()).isTrue();
            assertThat(Files.readString(providerRoot.resolve(".terraform.lock.hcl"))).contains("\"zh:" + zipSha + "\"");
        }
    }

    @Test
    void signingKeyAndProviderUploadedWithServerFromACiShellAreVerifiedByTerraform() throws Exception {
        NewToken admin = Publishing.token("admin", "admin");
        NewToken ci = Publishing.token("ci-acme", "publish:acme/*");
        NewToken reader = Publishing.token("reader", "read");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), admin, ci, reader);
        PgpKeys key = PgpKeys.generate("Wharf CI <ci@wharf.invalid>");
        Path keyAsc = Files.writeString(dir.resolve("ci-key.asc"), key.armoredPublicKey());
        Path sums = release("ci", "2.0.0", key);
        Path trust = certificate.writeTrustStore(dir.resolve("ci-trust.p12"), "changeit".toCharArray());
        // The CI shell trusts the server's certificate and knows its address and a token: nothing of the registry.
        List<String> jvm = List.of("-Xmx256m", "-Djavax.net.ssl.trustStore=" + trust, "-Djavax.net.ssl.trustStorePassword=changeit");
        try (ServerCommand.Running server = server("--auth-tokens-file", tokens.toString())) {
            String host = "127.0.0.1:" + server.registry().port();
            String base = "https://" + host;
            try (WharfProcess addKey = WharfProcess.start(dir.resolve("ci"), Map.of("BORING_REGISTRY_SERVER", base,
                    "BORING_REGISTRY_TOKEN", admin.token()), jvm, List.of("boring-registry", "upload", "signing-key", "--namespace", "acme",
                    keyAsc.toString()))) {
                assertThat(addKey.waitFor(java.time.Duration.ofMinutes(2))).as(addKey.output()).isZero();
                assertThat(addKey.output()).contains("through the server").doesNotContain(admin.token());
            }
            try (WharfProcess upload = WharfProcess.start(dir.resolve("ci"), Map.of("BORING_REGISTRY_SERVER", base,
                    "BORING_REGISTRY_TOKEN", ci.token()), jvm, List.of("boring-registry", "upload", "provider", "--namespace", "acme",
                    "--filename-sha256sums", sums.toString()))) {
                assertThat(upload.waitFor(java.time.Duration.ofMinutes(2))).as(upload.output()).isZero();
                assertThat(upload.output()).doesNotContain(ci.token());
            }
            assertThat(Files.exists(dir.resolve("ci/data"))).as("nothing written to a local store").isFalse();

            Path root = workspace("ci-provider", providerConfig(host, "2.0.0"));
            TerraformCli.Result init = terraform(reader.token(), host).run(root, "init", "-no-color");
            assertThat(init.ok()).as(init.output()).isTrue();
            String zipSha = Digest.sha256(Files.readAllBytes(sums.resolveSibling("terraform-provider-dummy_2.0.0_linux_amd64.zip"))).hex();
            assertThat(Files.readString(root.resolve(".terraform.lock.hcl"))).contains("\"zh:" + zipSha + "\"");
        }
    }

    /** Runs a command with the given storage flags instead of {@link #storageArgs()}; its exit code and stderr. */
    static CliRun cliWith(List<String> storage, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(2, storage);
        StringWriter err = new StringWriter();
        int code = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        return new CliRun(code, err.toString());
    }

    record CliRun(int code, String stderr) {
    }

    int cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(2, storageArgs());
        StringWriter err = new StringWriter();
        int code = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        assertThat(err.toString()).as("stderr of " + all).doesNotContain("Exception");
        return code;
    }

    ServerCommand.Running server(String... extra) {
        List<String> args = new ArrayList<>(List.of("--listen-address", "127.0.0.1:0", "--listen-telemetry-address", "127.0.0.1:0",
                "--tls-cert-file", certFile.toString(), "--tls-key-file", keyFile.toString()));
        args.addAll(storageArgs());
        args.addAll(List.of(extra));
        ServerCommand command = new ServerCommand();
        new CommandLine(command).setDefaultValueProvider(new EnvironmentDefaults(Map.of())).parseArgs(args.toArray(String[]::new));
        return command.start();
    }

    TerraformCli terraform(String token, String host) throws IOException {
        Path config = Files.createTempFile(dir, "terraformrc-", ".tfrc");
        TerraformCli.writeConfig(config, host, token);
        return new TerraformCli(config, certFile);
    }

    Path workspace(String name, String mainTf) throws IOException {
        Path root = Files.createDirectories(dir.resolve("work").resolve(name));
        Files.writeString(root.resolve("main.tf"), mainTf);
        return root;
    }

    static String providerConfig(String host, String version) {
        return """
                terraform {
                  required_providers {
                    dummy = {
                      source  = "%s/acme/dummy"
                      version = "%s"
                    }
                  }
                }
                """.formatted(host, version);
    }

    /** A release directory with a linux_amd64 zip, its SHA256SUMS and a binary signature; returns the SHA256SUMS path. */
    Path release(String name, String version, PgpKeys key) throws IOException {
        Path releaseDir = Files.createDirectories(dir.resolve("releases").resolve(name));
        String zipName = "terraform-provider-dummy_" + version + "_linux_amd64.zip";
        byte[] zip = providerZip(version, "#!/bin/sh\necho dummy provider " + version + "\n");
        Files.write(releaseDir.resolve(zipName), zip);
        byte[] sums = (Digest.sha256(zip).hex() + "  " + zipName + "\n").getBytes(StandardCharsets.UTF_8);
        Path sumsFile = releaseDir.resolve("terraform-provider-dummy_" + version + "_SHA256SUMS");
        Files.write(sumsFile, sums);
        Files.write(releaseDir.resolve(sumsFile.getFileName() + ".sig"), key.detachedSignature(sums));
        return sumsFile;
    }

    static byte[] providerZip(String version, String script) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("terraform-provider-dummy_v" + version));
            zip.write(script.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return out.toByteArray();
    }
}
