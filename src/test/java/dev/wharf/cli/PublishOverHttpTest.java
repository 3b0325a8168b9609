package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.wharf.cli.boring.EnvironmentDefaults;
import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.http.access.NewToken;
import dev.wharf.http.access.PublishAudit;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.Digest;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.testing.LogCapture;
import dev.wharf.testing.OidcIssuer;
import dev.wharf.testing.PgpKeys;
import dev.wharf.testing.Publishing;
import dev.wharf.testing.TestCertificates;
import dev.wharf.testing.WharfProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The publish API's rules, on the embedded store: scopes, expiry, live token edits, refusals that store nothing, races, limits, audit. */
class PublishOverHttpTest {
    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newHttpClient();
    final TerraformLayout layout = TerraformLayout.under("boring-registry");
    NewToken admin;
    NewToken acme;
    NewToken reader;
    Path tokens;
    Path archive;

    @BeforeEach
    void setUp() throws Exception {
        admin = Publishing.token("admin", "admin");
        acme = Publishing.token("ci-acme", "publish:acme/*");
        reader = Publishing.token("reader", "read");
        tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), admin, acme, reader, Publishing.expiredToken("old-ci", "publish:acme/*"));
        archive = Publishing.moduleArchive(Path.of("examples/modules/hello").toAbsolutePath(), dir.resolve("hello.tar.gz"));
    }

    @Test
    void tokensAreScopedAndExpiredOnesRefused() throws Exception {
        NewToken expired = Publishing.expiredToken("old-ci", "publish:acme/*");
        // Same name, a fresh secret: the file holds only the expired one, so this entry is the one checked.
        Publishing.writeTokens(tokens, admin, acme, reader, expired);
        try (ServerCommand.Running server = server(); LogCapture audit = LogCapture.of(PublishAudit.LOGGER)) {
            assertThat(putModule(server, "other/x/aws/1.0.0", acme.token()).statusCode()).isEqualTo(403);
            HttpResponse<String> old = putModule(server, "acme/x/aws/1.0.0", expired.token());
            assertThat(old.statusCode()).isEqualTo(401);
            assertThat(old.body()).contains("expired").doesNotContain(expired.token());
            // The expired token still proves who tried: the audit names it.
            assertThat(audit.lines(Level.INFO).get(1)).contains("acme/x/aws/1.0.0 by old-ci from 127.0.0.1: 401");
            assertThat(putModule(server, "acme/x/aws/1.0.0", null).statusCode()).isEqualTo(401);
            assertThat(putModule(server, "acme/x/aws/1.0.0", "wharf_not-a-token").statusCode()).isEqualTo(401);
            assertThat(putModule(server, "acme/x/aws/1.0.0", reader.token()).statusCode()).isEqualTo(403);
            assertThat(put(server, "/api/v1/providers/acme/signing-keys", acme.token(), "application/pgp-keys",
                    HttpRequest.BodyPublishers.ofString("key")).statusCode()).isEqualTo(403);
            assertThat(putModule(server, "acme/x/aws/1.0.0", acme.token()).statusCode()).isEqualTo(201);
            assertThat(putModule(server, "acme/x/aws/1.0.0", acme.token()).statusCode()).isEqualTo(409);
            // Nor under another spelling terraform takes for the same version (build metadata is not compared).
            HttpResponse<String> sameToTerraform = putModule(server, "acme/x/aws/1.0.0+build.2", acme.token());
            assertThat(sameToTerraform.statusCode()).isEqualTo(409);
            assertThat(sameToTerraform.body()).contains("is version 1.0.0 to terraform");
            // A publish-only token may not read.
            HttpResponse<String> read = http.send(HttpRequest.newBuilder(base(server).resolve("/v1/modules/acme/x/aws/versions"))
                    .header("Authorization", "Bearer " + acme.token()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(read.statusCode()).isEqualTo(401);
            HttpResponse<String> readOk = http.send(HttpRequest.newBuilder(base(server).resolve("/v1/modules/acme/x/aws/versions"))
                    .header("Authorization", "Bearer " + reader.token()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(readOk.body()).contains("1.0.0");
        }
    }

    @Test
    void editingTheTokensFileTakesEffectWithoutRestart() throws Exception {
        try (ServerCommand.Running server = server()) {
            NewToken later = Publishing.token("later", "publish:acme/*");
            assertThat(putModule(server, "acme/live/aws/1.0.0", later.token()).statusCode()).isEqualTo(401);
            Publishing.writeTokens(tokens, admin, later);
            assertThat(putModule(server, "acme/live/aws/1.0.0", later.token()).statusCode()).isEqualTo(201);
            // acme was removed from the file: revoked at once.
            assertThat(putModule(server, "acme/live/aws/2.0.0", acme.token()).statusCode()).isEqualTo(401);
            // A broken edit keeps the last good list in force.
            Files.writeString(tokens, "tokens: [ {name: broken");
            assertThat(putModule(server, "acme/live/aws/2.0.0", later.token()).statusCode()).isEqualTo(201);
        }
    }

    @Test
    void aTamperedProviderZipIsRefusedAndNothingIsStored() throws Exception {
        PgpKeys key = PgpKeys.generate("Wharf test <test@wharf.invalid>");
        Path release = Files.createDirectories(dir.resolve("release"));
        String zipName = "terraform-provider-dummy_1.0.0_linux_amd64.zip";
        byte[] zip = BoringRegistryEndToEndScenarios.providerZip("1.0.0", "#!/bin/sh\necho dummy\n");
        byte[] sums = (Digest.sha256(zip).hex() + "  " + zipName + "\n").getBytes(StandardCharsets.UTF_8);
        Path sumsFile = Files.write(release.resolve("terraform-provider-dummy_1.0.0_SHA256SUMS"), sums);
        Path sig = Files.write(release.resolve(sumsFile.getFileName() + ".sig"), key.detachedSignature(sums));
        Path tampered = Files.write(release.resolve(zipName), BoringRegistryEndToEndScenarios.providerZip("1.0.0", "#!/bin/sh\necho evil\n"));
        try (ServerCommand.Running server = server()) {
            HttpResponse<String> binary = put(server, "/api/v1/providers/acme/signing-keys", admin.token(), "application/pgp-keys",
                    HttpRequest.BodyPublishers.ofByteArray(key.binaryPublicKey()));
            assertThat(binary.statusCode()).as(binary.body()).isEqualTo(400);
            assertThat(binary.body()).contains("the request body: not an ASCII-armored OpenPGP public key: it is not text",
                    "gpg --armor --export");
            assertThat(put(server, "/api/v1/providers/acme/signing-keys", admin.token(), "application/pgp-keys",
                    HttpRequest.BodyPublishers.ofString(key.armoredPublicKey())).statusCode()).isEqualTo(201);
            var client = Publishing.client(base(server), acme.token(), http);
            try {
                client.putFiles("/api/v1/providers/acme/dummy/1.0.0", List.of(sumsFile, sig, tampered));
                throw new AssertionError("a tampered zip was accepted");
            } catch (dev.wharf.terraform.upload.UploadException e) {
                assertThat(e.getMessage()).contains("HTTP 400").contains("does not match its SHA256SUMS entry").doesNotContain(dir.toString());
            }
        }
        try (ArtifactStore store = new ImageLayoutStore(dir.resolve("data"))) {
            assertThat(store.listTags(layout.providerRepository("acme", "dummy"))).isEmpty();
        }
    }

    /** A platform whose name makes a tag past the registry's 128 characters refuses the release before any file of it is stored. */
    @Test
    void aReleaseWithAPlatformTooLongForATagStoresNothing() throws Exception {
        PgpKeys key = PgpKeys.generate("Wharf test <test@wharf.invalid>");
        Path release = Files.createDirectories(dir.resolve("release"));
        String linux = "terraform-provider-dummy_1.0.0_linux_amd64.zip";
        String odd = "terraform-provider-dummy_1.0.0_linux_" + "a".repeat(120) + ".zip";
        Path linuxZip = Files.write(release.resolve(linux), BoringRegistryEndToEndScenarios.providerZip("1.0.0", "#!/bin/sh\necho linux\n"));
        Path oddZip = Files.write(release.resolve(odd), BoringRegistryEndToEndScenarios.providerZip("1.0.0", "#!/bin/sh\necho odd\n"));
        byte[] sums = (Digest.sha256(Files.readAllBytes(linuxZip)).hex() + "  " + linux + "\n" + Digest.sha256(Files.readAllBytes(oddZip)).hex()
                + "  " + odd + "\n").getBytes(StandardCharsets.UTF_8);
        Path sumsFile = Files.write(release.resolve("terraform-provider-dummy_1.0.0_SHA256SUMS"), sums);
        Path sig = Files.write(release.resolve(sumsFile.getFileName() + ".sig"), key.detachedSignature(sums));
        try (ServerCommand.Running server = server(); LogCapture audit = LogCapture.of(PublishAudit.LOGGER)) {
            assertThat(put(server, "/api/v1/providers/acme/signing-keys", admin.token(), "application/pgp-keys",
                    HttpRequest.BodyPublishers.ofString(key.armoredPublicKey())).statusCode()).isEqualTo(201);
            var client = Publishing.client(base(server), acme.token(), http);
            try {
                client.putFiles("/api/v1/providers/acme/dummy/1.0.0", List.of(sumsFile, sig, linuxZip, oddZip));
                throw new AssertionError("a release with a tag too long was accepted");
            } catch (dev.wharf.terraform.upload.UploadException e) {
                assertThat(e.getMessage()).contains("HTTP 400").contains("128");
            }
            assertThat(audit.lines(Level.INFO)).anyMatch(l -> l.contains("provider acme/dummy") && l.contains(": 400"));
        }
        try (ArtifactStore store = new ImageLayoutStore(dir.resolve("data"))) {
            assertThat(store.listTags(layout.providerRepository("acme", "dummy"))).isEmpty();
        }
    }

    /** A release missing its signature or a listed zip is said as a missing part, not in the CLI's words of files and flags. */
    @Test
    void aReleaseWithoutItsSignatureOrAListedZipNamesTheMissingPart() throws Exception {
        PgpKeys key = PgpKeys.generate("Wharf test <test@wharf.invalid>");
        Path release = Files.createDirectories(dir.resolve("release"));
        String linux = "terraform-provider-dummy_1.0.0_linux_amd64.zip";
        String darwin = "terraform-provider-dummy_1.0.0_darwin_arm64.zip";
        Path linuxZip = Files.write(release.resolve(linux), BoringRegistryEndToEndScenarios.providerZip("1.0.0", "#!/bin/sh\necho linux\n"));
        Path darwinZip = Files.write(release.resolve(darwin), BoringRegistryEndToEndScenarios.providerZip("1.0.0", "#!/bin/sh\necho darwin\n"));
        byte[] sums = (Digest.sha256(Files.readAllBytes(darwinZip)).hex() + "  " + darwin + "\n" + Digest.sha256(Files.readAllBytes(linuxZip)).hex() + "  " + linux + "\n")
                .getBytes(StandardCharsets.UTF_8);
        Path sumsFile = Files.write(release.resolve("terraform-provider-dummy_1.0.0_SHA256SUMS"), sums);
        Path sig = Files.write(release.resolve(sumsFile.getFileName() + ".sig"), key.detachedSignature(sums));
        try (ServerCommand.Running server = server()) {
            assertThat(put(server, "/api/v1/providers/acme/signing-keys", admin.token(), "application/pgp-keys",
                    HttpRequest.BodyPublishers.ofString(key.armoredPublicKey())).statusCode()).isEqualTo(201);
            var client = Publishing.client(base(server), acme.token(), http);
            Map<List<Path>, String> refusals = Map.of(
                    List.of(sumsFile, linuxZip, darwinZip), "no terraform-provider-dummy_1.0.0_SHA256SUMS.sig part in the body",
                    List.of(sumsFile, sig, linuxZip), "no " + darwin + " part in the body: terraform-provider-dummy_1.0.0_SHA256SUMS lists it",
                    List.of(sumsFile, sig), "no " + darwin + " part in the body");
            for (Map.Entry<List<Path>, String> refusal : refusals.entrySet()) {
                try {
                    client.putFiles("/api/v1/providers/acme/dummy/1.0.0", refusal.getKey());
                    throw new AssertionError("an incomplete release was accepted: " + refusal.getKey());
                } catch (dev.wharf.terraform.upload.UploadException e) {
                    assertThat(e.getMessage()).contains("HTTP 400").contains(refusal.getValue())
                            .doesNotContain("does not exist").doesNotContain("--filenames-provider-archives").doesNotContain(dir.toString());
                }
            }
            client.putFiles("/api/v1/providers/acme/dummy/1.0.0", List.of(sumsFile, sig, linuxZip, darwinZip));
        }
        try (ArtifactStore store = new ImageLayoutStore(dir.resolve("data"))) {
            assertThat(store.listTags(layout.providerRepository("acme", "dummy"))).isNotEmpty();
        }
    }

    @Test
    void tenConcurrentPublishesOfOneVersionGiveOneCreatedAndNineConflicts() throws Exception {
        byte[] body = Files.readAllBytes(archive);
        try (ServerCommand.Running server = server()) {
            ExecutorService pool = Executors.newFixedThreadPool(10);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Callable<Integer> publish = () -> {
                    start.await();
                    return putModule(server, "acme/race/aws/1.0.0", acme.token()).statusCode();
                };
                answers.add(pool.submit(publish));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : answers) {
                statuses.add(f.get());
            }
            pool.shutdown();
            assertThat(statuses).containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(1);
        }
        try (ArtifactStore store = new ImageLayoutStore(dir.resolve("data"))) {
            var manifest = store.resolve(layout.moduleRepository("acme", "race", "aws"), layout.moduleTag("acme", "race", "aws", "1.0.0"))
                    .orElseThrow();
            assertThat(manifest.layers()).hasSize(1);
            assertThat(manifest.layers().get(0).digest()).isEqualTo(Digest.sha256(body));
        }
    }

    @Test
    void bodiesOverTheLimitGet413AndEveryPublishIsAuditedAndCounted() throws Exception {
        // Captured once the server is up: its start configures logging afresh.
        try (ServerCommand.Running server = server("--publish-max-size", "100");
             LogCapture audit = LogCapture.of(PublishAudit.LOGGER)) {
            HttpResponse<String> tooLarge = putModule(server, "acme/big/aws/1.0.0", acme.token());
            assertThat(tooLarge.statusCode()).isEqualTo(413);
            // Without a declared length the limit still holds, counted while the body streams in.
            byte[] content = Files.readAllBytes(archive);
            HttpResponse<String> chunked = put(server, "/api/v1/modules/acme/big/aws/1.0.0", acme.token(), "application/gzip",
                    HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(content)));
            assertThat(chunked.statusCode()).isEqualTo(413);
            assertThat(putModule(server, "other/x/aws/1.0.0", acme.token()).statusCode()).isEqualTo(403);
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.telemetry().port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("wharf_publish_total{outcome=\"too_large\"} 2.0").contains("wharf_publish_total{outcome=\"forbidden\"} 1.0");
            List<String> lines = audit.lines(Level.INFO);
            assertThat(lines).hasSize(3).allMatch(l -> l.contains("ci-acme") && l.contains("127.0.0.1"))
                    .noneMatch(l -> l.contains(acme.token()));
            assertThat(lines.get(2)).contains("other/x/aws/1.0.0").contains("403");
        }
    }

    /**
     * Coordinates are the URL's: a malformed one is said as such, before the body is read, so a
     * body past the limit streamed without a length gets 400 for the URL and not 413.
     */
    @Test
    void malformedCoordinatesInTheUrlAreRefusedBeforeTheBodyIsRead() throws Exception {
        byte[] content = Files.readAllBytes(archive);
        try (ServerCommand.Running server = server("--publish-max-size", "100");
             LogCapture audit = LogCapture.of(PublishAudit.LOGGER)) {
            Map<String, String> refusals = new LinkedHashMap<>();
            refusals.put("/api/v1/modules/acme/x/aws/v1.0.0", "the URL: version 'v1.0.0' is not a semantic version (MAJOR.MINOR.PATCH)");
            refusals.put("/api/v1/modules/acme/hel..lo/aws/1.0.0", "the URL: module name 'hel..lo' is malformed");
            refusals.put("/api/v1/modules/acme/x/AWS/1.0.0", "the URL: module provider 'AWS' is malformed");
            refusals.put("/api/v1/providers/acme/Dummy/1.0.0", "the URL: provider name 'Dummy' is malformed");
            refusals.put("/api/v1/providers/acme/dummy/1.0", "the URL: version '1.0' is not a semantic version");
            refusals.put("/api/v1/providers/acme.corp/signing-keys", "the URL: namespace 'acme.corp' is malformed");
            for (Map.Entry<String, String> refusal : refusals.entrySet()) {
                String token = refusal.getKey().endsWith("signing-keys") ? admin.token() : acme.token();
                HttpResponse<String> answer = put(server, refusal.getKey(), token, "application/octet-stream",
                        HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(content)));
                assertThat(answer.statusCode()).as(refusal.getKey() + ": " + answer.body()).isEqualTo(400);
                assertThat(answer.body()).startsWith("{\"errors\":[\"" + refusal.getValue());
            }
            assertThat(audit.lines(Level.INFO)).hasSize(refusals.size()).allMatch(l -> l.contains(": 400"));
        }
        try (ArtifactStore store = new ImageLayoutStore(dir.resolve("data"))) {
            assertThat(store.listTags(layout.moduleRepository("acme", "x", "aws"))).isEmpty();
        }
    }

    /** Names each within the rules can still make a tag past the 128 characters a registry takes: refused, and audited, as any other. */
    @Test
    void coordinatesTooLongForATagAreRefusedAndAudited() throws Exception {
        byte[] content = Files.readAllBytes(archive);
        String path = "/api/v1/modules/acme/" + "n".repeat(64) + "/" + "p".repeat(64) + "/1.0.0";
        try (ServerCommand.Running server = server(); LogCapture audit = LogCapture.of(PublishAudit.LOGGER)) {
            HttpResponse<String> answer = put(server, path, acme.token(), "application/gzip", HttpRequest.BodyPublishers.ofByteArray(content));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
            assertThat(answer.body()).contains("128");
            assertThat(audit.lines(Level.INFO)).anyMatch(l -> l.contains(": 400"));
        }
    }

    /** A module body that is no archive is said for what it is: empty, a form, cut short, or a gzip of something else. */
    @Test
    void anEmptyFormOrCutShortModuleBodyIsSaidForWhatItIs() throws Exception {
        byte[] content = Files.readAllBytes(archive);
        String form = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"hello.tar.gz\"\r\n"
                + "Content-Type: application/gzip\r\n\r\n";
        try (ServerCommand.Running server = server()) {
            record Bad(String type, byte[] body, String reason) { }
            List<Bad> bads = List.of(
                    new Bad("application/octet-stream", new byte[0], "the body is empty: send the module's tar.gz or zip as the body"),
                    new Bad("application/gzip", new byte[0], "the body is empty: send the module's tar.gz or zip as the body"),
                    new Bad("multipart/form-data; boundary=b", (form + "x\r\n--b--\r\n").getBytes(StandardCharsets.UTF_8),
                            "a module is sent as the archive itself, not as multipart/form-data"),
                    new Bad("application/gzip", java.util.Arrays.copyOf(content, content.length / 2),
                            "the tar.gz body is not a readable tar.gz: it ends early (cut short)"),
                    new Bad("application/gzip", gzip("variable \"region\" {}\n".getBytes(StandardCharsets.UTF_8)),
                            "the tar.gz body is not a readable tar.gz: what its gzip holds is not a tar archive"),
                    new Bad("application/gzip", gzip("# notes\n".repeat(200).getBytes(StandardCharsets.UTF_8)),
                            "the tar.gz body is not a readable tar.gz: "),
                    // An empty tar is a tar: two zeroed records, and the answer is that it holds nothing.
                    new Bad("application/gzip", gzip(new byte[1024]), "the tar.gz body holds no files"));
            int version = 0;
            for (Bad bad : bads) {
                HttpResponse<String> answer = put(server, "/api/v1/modules/acme/hello/aws/1.0." + version++, acme.token(), bad.type(),
                        HttpRequest.BodyPublishers.ofByteArray(bad.body()));
                assertThat(answer.statusCode()).as(bad.reason()).isEqualTo(400);
                assertThat(answer.body()).startsWith("{\"errors\":[\"" + bad.reason());
            }
        }
        try (ArtifactStore store = new ImageLayoutStore(dir.resolve("data"))) {
            assertThat(store.listTags(layout.moduleRepository("acme", "hello", "aws"))).isEmpty();
        }
    }

    private static byte[] gzip(byte[] content) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }

    @Test
    void aProviderReleaseStreamedWithoutLengthOverTheLimitGets413AndStoresNothing() throws Exception {
        String boundary = "wharf-test-boundary";
        StringBuilder body = new StringBuilder();
        for (String name : List.of("terraform-provider-big_1.0.0_SHA256SUMS", "terraform-provider-big_1.0.0_linux_amd64.zip")) {
            body.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(name).append("\"; filename=\"")
                    .append(name).append("\"\r\nContent-Type: application/octet-stream\r\n\r\n").append("x".repeat(4096)).append("\r\n");
        }
        byte[] bytes = body.append("--").append(boundary).append("--\r\n").toString().getBytes(StandardCharsets.UTF_8);
        try (ServerCommand.Running server = server("--publish-max-size", "2000");
             LogCapture jetty = LogCapture.of("org.eclipse.jetty")) {
            HttpResponse<String> streamed = put(server, "/api/v1/providers/acme/big/1.0.0", acme.token(), "multipart/form-data; boundary=" + boundary,
                    HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes)));
            assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(413);
            assertThat(streamed.body()).contains("2000");
            // The failed parse must not break the connection for whatever the client sends next.
            HttpResponse<String> next = http.send(HttpRequest.newBuilder(base(server).resolve("/.well-known/terraform.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
            assertThat(jetty.lines(Level.WARN)).as("Jetty's warnings").isEmpty();
        }
        try (ArtifactStore store = new ImageLayoutStore(dir.resolve("data"))) {
            assertThat(store.listTags(layout.providerRepository("acme", "big"))).isEmpty();
        }
    }

    @Test
    void uploadModuleWithServerNeedsNoRegistryCredentialsAndTrustsTheServersPrivateCaFromAFile() throws Exception {
        // The server serves a certificate of the company's own CA, which the CI job trusts through --server-ca-file.
        TestCertificates.SelfSigned companyCa = TestCertificates.localhost();
        Path cert = companyCa.writePem(dir.resolve("tls"));
        try (ServerCommand.Running server = server("--tls-cert-file", cert.toString(), "--tls-key-file", cert.resolveSibling("key.pem").toString())) {
            URI https = URI.create("https://127.0.0.1:" + server.registry().port());
            Path module = Files.createDirectories(dir.resolve("ci/module"));
            Files.copy(Path.of("examples/modules/hello/main.tf"), module.resolve("main.tf"));
            Files.writeString(module.resolve("boring-registry.hcl"), """
                    metadata {
                      namespace = "acme"
                      name      = "hello"
                      provider  = "null"
                      version   = "2.0.0"
                    }
                    """);
            StringWriter untrusted = new StringWriter();
            int refused = new BoringRegistryCli(Map.of("BORING_REGISTRY_SERVER", https.toString(), "BORING_REGISTRY_TOKEN", acme.token()))
                    .commandLine(new PrintWriter(new StringWriter()), new PrintWriter(untrusted, true))
                    .execute("upload", "module", "--recursive=false", module.toString());
            assertThat(refused).as(untrusted.toString()).isEqualTo(1);
            assertThat(untrusted.toString()).contains("the TLS handshake with " + https + " failed").contains("trusted with --server-ca-file");
            StringWriter alone = new StringWriter();
            assertThat(new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(alone, true))
                    .execute("upload", "module", "--recursive=false", "--server-ca-file", cert.toString(), module.toString())).isNotZero();
            assertThat(alone.toString()).contains("--server-ca-file is for --server");
            // Only the server, its CA and the token: no OCI_REGISTRY_* or BORING_REGISTRY_STORAGE_* in the child's environment.
            try (WharfProcess upload = WharfProcess.start(dir.resolve("ci"), Map.of("BORING_REGISTRY_SERVER", https.toString(),
                    "BORING_REGISTRY_SERVER_CA_FILE", cert.toString(), "BORING_REGISTRY_TOKEN", acme.token()),
                    List.of("boring-registry", "upload", "module", "--recursive=false", module.toString()))) {
                assertThat(upload.waitFor(Duration.ofMinutes(2))).as(upload.output()).isZero();
                assertThat(upload.output()).doesNotContain(acme.token());
            }
            assertThat(Files.exists(dir.resolve("ci/data"))).as("nothing written to a local store").isFalse();
        }
        try (ArtifactStore store = new ImageLayoutStore(dir.resolve("data"))) {
            assertThat(store.exists(layout.moduleRepository("acme", "hello", "null"), layout.moduleTag("acme", "hello", "null", "2.0.0"))).isTrue();
        }
    }

    @Test
    void aCiJobPublishesWithItsPlatformsOidcTokenBesideSignInThroughAnotherIssuer() throws Exception {
        // The CI platform's issuer behind the company's own CA (a self-managed GitLab, say), trusted through --auth-oidc-ca-file.
        TestCertificates.SelfSigned companyCa = TestCertificates.localhost();
        Path caFile = Files.writeString(dir.resolve("company-ca.pem"), companyCa.certificatePem());
        try (OidcIssuer ci = OidcIssuer.startTls(companyCa); OidcIssuer people = OidcIssuer.start()) {
            Files.writeString(tokens, Files.readString(tokens) + """
                    publishers:
                      - name: infra-ci
                        issuer: %s
                        audience: https://registry.acme.test
                        claims: {repository: acme/infra, ref: "refs/tags/v*"}
                        scopes: ["publish:acme/*"]
                    """.formatted(ci.issuer()));
            try (ServerCommand.Running server = server("--auth-oidc-issuer", people.issuer().toString(), "--auth-oidc-clientid", "wharf",
                    "--auth-oidc-ca-file", caFile.toString());
                 LogCapture audit = LogCapture.of(PublishAudit.LOGGER)) {
                String release = ci.sign(job(ci, "acme/infra", "refs/tags/v2.0.0"));
                assertThat(putModule(server, "acme/ci/aws/2.0.0", release).statusCode()).isEqualTo(201);
                assertThat(putModule(server, "other/ci/aws/2.0.0", release).statusCode()).isEqualTo(403);
                HttpResponse<String> branch = putModule(server, "acme/ci/aws/2.1.0", ci.sign(job(ci, "acme/infra", "refs/heads/main")));
                assertThat(branch.statusCode()).isEqualTo(401);
                assertThat(branch.body()).contains("infra-ci wants ref refs/tags/v*, the token has refs/heads/main");
                assertThat(putModule(server, "acme/ci/aws/2.2.0", ci.forgedToken("repo:acme/infra:ref:refs/tags/v2.2.0",
                        "https://registry.acme.test")).statusCode()).isEqualTo(401);
                // The CI token publishes, and reads nothing: it was not given read.
                HttpResponse<String> read = http.send(HttpRequest.newBuilder(base(server).resolve("/v1/modules/acme/ci/aws/versions"))
                        .header("Authorization", "Bearer " + release).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(read.statusCode()).isEqualTo(401);
                // The people's issuer still signs people in to read; its tokens publish nothing.
                String alice = people.token("alice", "wharf", Duration.ofMinutes(5));
                HttpResponse<String> aliceReads = http.send(HttpRequest.newBuilder(base(server).resolve("/v1/modules/acme/ci/aws/versions"))
                        .header("Authorization", "Bearer " + alice).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(aliceReads.body()).contains("2.0.0");
                assertThat(putModule(server, "acme/ci/aws/3.0.0", alice).statusCode()).isEqualTo(403);
                List<String> lines = audit.lines(Level.INFO);
                assertThat(lines.get(0)).contains("acme/ci/aws/2.0.0").contains("infra-ci (repo:acme/infra:ref:refs/tags/v2.0.0)")
                        .doesNotContain(release);
                // A refused job is named by its token's subject once the signature held; a forged token names nobody.
                assertThat(lines.get(2)).contains("acme/ci/aws/2.1.0 by - (repo:acme/infra:ref:refs/heads/main) from 127.0.0.1: 401");
                assertThat(lines.get(3)).contains("acme/ci/aws/2.2.0 by - from 127.0.0.1: 401");
            }
        }
    }

    /** The claims GitHub Actions puts in a job's token for {@code repository} running on {@code ref}. */
    static JWTClaimsSet job(OidcIssuer issuer, String repository, String ref) {
        return new JWTClaimsSet.Builder().issuer(issuer.issuer().toString()).audience("https://registry.acme.test")
                .subject("repo:" + repository + ":ref:" + ref).claim("repository", repository).claim("ref", ref)
                .expirationTime(java.util.Date.from(java.time.Instant.now().plusSeconds(300))).build();
    }

    HttpResponse<String> putModule(ServerCommand.Running server, String coordinates, String token) throws Exception {
        return put(server, "/api/v1/modules/" + coordinates, token, "application/gzip", HttpRequest.BodyPublishers.ofFile(archive));
    }

    HttpResponse<String> put(ServerCommand.Running server, String path, String token, String type, HttpRequest.BodyPublisher body)
            throws Exception {
        return Publishing.put(http, base(server).resolve(path), token, type, body);
    }

    static URI base(ServerCommand.Running server) {
        return URI.create("http://127.0.0.1:" + server.registry().port());
    }

    ServerCommand.Running server(String... extra) {
        List<String> args = new ArrayList<>(List.of("--listen-address", "127.0.0.1:0", "--listen-telemetry-address", "127.0.0.1:0",
                "--storage-oci-layout-dir", dir.resolve("data").toString(), "--auth-tokens-file", tokens.toString()));
        args.addAll(List.of(extra));
        ServerCommand command = new ServerCommand();
        new CommandLine(command).setDefaultValueProvider(new EnvironmentDefaults(Map.of())).parseArgs(args.toArray(String[]::new));
        return command.start();
    }
}
