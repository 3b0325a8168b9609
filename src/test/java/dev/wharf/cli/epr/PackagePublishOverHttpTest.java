package dev.wharf.cli.epr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.wharf.epr.TestPackages;
import dev.wharf.http.access.NewToken;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.OidcIssuer;
import dev.wharf.testing.PgpKeys;
import dev.wharf.testing.Publishing;
import dev.wharf.testing.TestCertificates;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** package-registry's PUT /api/v1/packages on docker-registry: scoped by package name, served at once with ?refresh=true. */
class PackagePublishOverHttpTest {
    @TempDir
    Path dir;

    @Test
    void aScopedTokenPublishesAPackageThatIsServedAfterTheRefreshItAsks() throws Exception {
        NewToken acme = Publishing.token("ci-acme", "publish:acme_*");
        NewToken other = Publishing.token("ci-other", "publish:other_*");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), acme, other);
        Path zip = dir.resolve("acme_logs.zip");
        Path version = Files.list(TestPackages.source().resolve("acme_logs")).findFirst().orElseThrow();
        TestPackages.zipFolder(version, "acme_logs-" + version.getFileName(), zip);
        HttpClient http = HttpClient.newHttpClient();
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"))) {
            int port = TestPorts.free();
            try (WharfProcess server = server(registry, port, tokens)) {
                URI base = URI.create("http://127.0.0.1:" + port);
                server.awaitReady(base.resolve("/health"), Duration.ofMinutes(1));
                assertThat(Publishing.put(http, base.resolve("/api/v1/packages"), null, "application/zip",
                        HttpRequest.BodyPublishers.ofFile(zip)).statusCode()).isEqualTo(401);
                HttpResponse<String> forbidden = Publishing.put(http, base.resolve("/api/v1/packages"), other.token(), "application/zip",
                        HttpRequest.BodyPublishers.ofFile(zip));
                assertThat(forbidden.statusCode()).as(forbidden.body()).isEqualTo(403);
                HttpResponse<String> created = Publishing.put(http, base.resolve("/api/v1/packages?refresh=true"), acme.token(),
                        "application/zip", HttpRequest.BodyPublishers.ofFile(zip));
                assertThat(created.statusCode()).as(created.body() + server.output()).isEqualTo(201);
                assertThat(created.body()).contains("acme_logs-" + version.getFileName());
                HttpResponse<String> search = http.send(HttpRequest.newBuilder(base.resolve("/search?package=acme_logs&all=true")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(search.body()).contains("\"name\": \"acme_logs\"");
                HttpResponse<String> again = Publishing.put(http, base.resolve("/api/v1/packages"), acme.token(), "application/zip",
                        HttpRequest.BodyPublishers.ofFile(zip));
                assertThat(again.statusCode()).isEqualTo(409);
                // Not where storage is (the registry's host and repository).
                assertThat(again.body()).contains("is already published; publish a new version instead")
                        .doesNotContain("127.0.0.1").doesNotContain(dir.toString()).doesNotContain("oci-layout");
                assertThat(server.output()).doesNotContain(acme.token());
            }
        }
    }

    @Test
    void aCiJobPublishesWithItsPlatformsOidcTokenAsATrustedPublisherOfAnIssuerBehindAPrivateCa() throws Exception {
        Path version = Files.list(TestPackages.source().resolve("acme_logs")).findFirst().orElseThrow();
        Path zip = dir.resolve("acme_logs-" + version.getFileName() + ".zip");
        TestPackages.zipFolder(version, "acme_logs-" + version.getFileName(), zip);
        HttpClient http = HttpClient.newHttpClient();
        // A self-managed GitLab whose certificate the company's own CA signed: trusted through -auth-oidc-ca-file alone.
        TestCertificates.SelfSigned companyCa = TestCertificates.localhost();
        Path caFile = Files.writeString(dir.resolve("company-ca.pem"), companyCa.certificatePem());
        try (OidcIssuer ci = OidcIssuer.startTls(companyCa); DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"))) {
            Path tokens = Files.writeString(dir.resolve("tokens.yaml"), """
                    publishers:
                      - name: integrations-ci
                        issuer: %s
                        audience: package-registry
                        claims: {project_path: acme/integrations, ref_protected: "true"}
                        scopes: ["publish:acme_*"]
                    """.formatted(ci.issuer()));
            int port = TestPorts.free();
            try (WharfProcess server = server(registry, port, tokens, "-auth-oidc-ca-file", caFile.toString())) {
                URI base = URI.create("http://127.0.0.1:" + port);
                server.awaitReady(base.resolve("/health"), Duration.ofMinutes(1));
                // As GitLab CI names a job of a protected branch: a boolean claim is compared as the text it prints as.
                String unprotected = ci.sign(gitlabJob(ci, "acme/integrations", false));
                HttpResponse<String> refused = Publishing.put(http, base.resolve("/api/v1/packages"), unprotected, "application/zip",
                        HttpRequest.BodyPublishers.ofFile(zip));
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
                assertThat(refused.body()).contains("integrations-ci wants ref_protected true, the token has false");

                PushRun published = push(base, ci.sign(gitlabJob(ci, "acme/integrations", true)), zip);
                assertThat(published.exit()).as(published.output()).isZero();
                assertThat(published.output()).contains("published acme_logs-" + version.getFileName());
                HttpResponse<String> search = http.send(HttpRequest.newBuilder(base.resolve("/search?package=acme_logs&all=true")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(search.body()).contains("\"name\": \"acme_logs\"");
                assertThat(server.output()).contains("integrations-ci (project_path:acme/integrations:ref_type:branch:ref:main)")
                        .contains("by - (project_path:acme/integrations:ref_type:branch:ref:main)");
            }
        }
    }

    /** The claims GitLab CI puts in a job's ID token for {@code project} on main. */
    private static JWTClaimsSet gitlabJob(OidcIssuer issuer, String project, boolean protectedRef) {
        return new JWTClaimsSet.Builder().issuer(issuer.issuer().toString()).audience("package-registry")
                .subject("project_path:" + project + ":ref_type:branch:ref:main").claim("project_path", project)
                .claim("ref", "main").claim("ref_protected", protectedRef)
                .expirationTime(java.util.Date.from(java.time.Instant.now().plusSeconds(300))).build();
    }

    @Test
    void pushWithServerAndTokenPublishesThenSaysItExistsAndRefusesAnotherScopeInOneLine() throws Exception {
        NewToken acme = Publishing.token("ci-acme", "publish:acme_*");
        NewToken other = Publishing.token("ci-other", "publish:other_*");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), acme, other);
        Path version = Files.list(TestPackages.source().resolve("acme_logs")).findFirst().orElseThrow();
        Path zip = dir.resolve("acme_logs-" + version.getFileName() + ".zip");
        TestPackages.zipFolder(version, "acme_logs-" + version.getFileName(), zip);
        // The server serves a certificate of the company's own CA, which the pushing job trusts through -server-ca-file.
        TestCertificates.SelfSigned companyCa = TestCertificates.localhost();
        Path cert = companyCa.writePem(dir.resolve("tls"));
        HttpClient http = HttpClient.newBuilder().sslContext(companyCa.trustingContext()).build();
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"))) {
            int port = TestPorts.free();
            try (WharfProcess server = server(registry, port, tokens, "-tls-cert", cert.toString(),
                    "-tls-key", cert.resolveSibling("key.pem").toString())) {
                URI base = URI.create("https://127.0.0.1:" + port);
                server.awaitReady(base.resolve("/health"), Duration.ofMinutes(1), http);

                PushRun untrusted = push(base, acme.token(), zip);
                assertThat(untrusted.exit()).as(untrusted.output()).isEqualTo(1);
                assertThat(untrusted.output()).contains("the TLS handshake with " + base + " failed")
                        .contains("trusted with -server-ca-file");

                PushRun refused = push(base, other.token(), zip, "-server-ca-file", cert.toString());
                assertThat(refused.exit()).as(refused.output()).isEqualTo(1);
                assertThat(refused.output().lines().filter(l -> l.startsWith("refused ")).toList()).as(refused.output()).hasSize(1)
                        .allMatch(l -> l.contains("HTTP 403") && l.contains("acme_logs"));

                PushRun published = push(base, acme.token(), zip, "-server-ca-file", cert.toString());
                assertThat(published.exit()).as(published.output()).isZero();
                assertThat(published.output()).contains("published acme_logs-" + version.getFileName());
                HttpResponse<String> search = http.send(HttpRequest.newBuilder(base.resolve("/search?package=acme_logs&all=true")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(search.body()).contains("\"name\": \"acme_logs\"");

                PushRun again = push(base, acme.token(), zip, "-server-ca-file", cert.toString());
                assertThat(again.exit()).as(again.output()).isZero();
                assertThat(again.output()).contains("already exists " + zip.getFileName());
                assertThat(server.output()).doesNotContain(acme.token());
            }
        }
    }

    @Test
    void aMultipartZipAndSigAreStoredTheSigServedByteForByteAndMultipartOverTheLimitGets413() throws Exception {
        NewToken acme = Publishing.token("ci-acme", "publish:acme_*");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), acme);
        Path version = Files.list(TestPackages.source().resolve("acme_logs")).findFirst().orElseThrow();
        String name = "acme_logs-" + version.getFileName();
        Path zip = dir.resolve(name + ".zip");
        TestPackages.zipFolder(version, name, zip);
        byte[] signature = PgpKeys.generate("EPR CI <ci@wharf.invalid>").armoredDetachedSignature(Files.readAllBytes(zip))
                .getBytes(StandardCharsets.UTF_8);
        Path sig = Files.write(dir.resolve(name + ".zip.sig"), signature);
        long limit = Files.size(zip) + 64 * 1024;
        byte[] oversized = Publishing.multipart(Map.of(zip.getFileName().toString(), Files.readAllBytes(zip), "big.sig", new byte[(int) limit]));
        HttpClient http = HttpClient.newHttpClient();
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"))) {
            int port = TestPorts.free();
            try (WharfProcess server = server(registry, port, tokens, "-max-package-size", String.valueOf(limit))) {
                URI base = URI.create("http://127.0.0.1:" + port);
                server.awaitReady(base.resolve("/health"), Duration.ofMinutes(1));
                String type = Publishing.MULTIPART_TYPE;
                HttpResponse<String> declared = Publishing.put(http, base.resolve("/api/v1/packages"), acme.token(), type,
                        HttpRequest.BodyPublishers.ofByteArray(oversized));
                assertThat(declared.statusCode()).as(declared.body()).isEqualTo(413);
                // No Content-Length: the multipart reader itself must stop at the limit.
                HttpResponse<String> streamed = Publishing.put(http, base.resolve("/api/v1/packages"), acme.token(), type,
                        HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(oversized)));
                assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(413);
                assertThat(streamed.body()).contains(String.valueOf(limit));

                // A body that is no zip is said of what was sent: the body, or which part of a form.
                Map<String, byte[]> refusals = new java.util.LinkedHashMap<>();
                refusals.put("application/zip", new byte[0]);
                refusals.put("application/octet-stream", "not a zip".getBytes(StandardCharsets.UTF_8));
                refusals.put(type, Publishing.multipart(Map.of("notes.txt", "not a zip".getBytes(StandardCharsets.UTF_8), name + ".zip.sig", signature)));
                List<String> reasons = new java.util.ArrayList<>();
                for (Map.Entry<String, byte[]> refusal : refusals.entrySet()) {
                    HttpResponse<String> answer = Publishing.put(http, base.resolve("/api/v1/packages"), acme.token(), refusal.getKey(),
                            HttpRequest.BodyPublishers.ofByteArray(refusal.getValue()));
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
                    reasons.add(answer.body());
                }
                assertThat(reasons).containsExactly(
                        "{\"status\":400,\"message\":\"the body is empty: send the package zip\"}",
                        "{\"status\":400,\"message\":\"the body is not a zip file: send the package zip\"}",
                        "{\"status\":400,\"message\":\"the part 'notes.txt' (notes.txt) is not a zip file: send the package zip\"}");

                JsonNode created;
                try {
                    created = Publishing.client(base, acme.token(), http).putFiles("/api/v1/packages?refresh=true", List.of(zip, sig));
                } catch (RuntimeException e) {
                    throw new AssertionError(e.getMessage() + "\nserver log:\n" + server.output(), e);
                }
                assertThat(created.path("tag").asText()).isEqualTo(name);
                assertThat(created.path("signed").asBoolean()).isTrue();
                HttpResponse<byte[]> served = http.send(HttpRequest.newBuilder(base.resolve("/epr/acme_logs/" + name + ".zip.sig")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(served.statusCode()).isEqualTo(200);
                assertThat(served.body()).isEqualTo(signature);
                HttpResponse<byte[]> servedZip = http.send(HttpRequest.newBuilder(base.resolve("/epr/acme_logs/" + name + ".zip")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(servedZip.body()).isEqualTo(Files.readAllBytes(zip));
                // Jetty 12.1 closes a request's multipart parts when the request ends; a failed parse left
                // in place made that close throw, and the connection's next request got an empty 500.
                assertThat(server.output()).doesNotContain("unknown request").doesNotContain("max length exceeded");
            }
        }
    }

    /**
     * A {@code .sig} Fleet cannot read (not armoured, or not a signature) had been stored and served,
     * and Fleet then failed to verify a package that looked published: now a 400 with one message,
     * {@code push -server} says so in one line before sending, and nothing is stored.
     */
    @Test
    void aSigThatIsNoArmouredDetachedSignatureIsA400AndAOneLineRefusalOfPushAndNothingIsStored() throws Exception {
        NewToken acme = Publishing.token("ci-acme", "publish:acme_*");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), acme);
        Path version = Files.list(TestPackages.source().resolve("acme_logs")).findFirst().orElseThrow();
        String name = "acme_logs-" + version.getFileName();
        Path zip = dir.resolve(name + ".zip");
        TestPackages.zipFolder(version, name, zip);
        PgpKeys key = PgpKeys.generate("EPR CI <ci@wharf.invalid>");
        byte[] binary = key.detachedSignature(Files.readAllBytes(zip));
        byte[] garbage = "-----BEGIN PGP SIGNATURE-----\n\nbm90IGEgc2lnbmF0dXJl\n-----END PGP SIGNATURE-----\n".getBytes(StandardCharsets.UTF_8);
        HttpClient http = HttpClient.newHttpClient();
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"))) {
            int port = TestPorts.free();
            try (WharfProcess server = server(registry, port, tokens)) {
                URI base = URI.create("http://127.0.0.1:" + port);
                server.awaitReady(base.resolve("/health"), Duration.ofMinutes(1));
                for (byte[] sig : List.of(binary, garbage)) {
                    HttpResponse<String> answer = Publishing.put(http, base.resolve("/api/v1/packages?refresh=true"), acme.token(),
                            Publishing.MULTIPART_TYPE, HttpRequest.BodyPublishers.ofByteArray(
                                    Publishing.multipart(Map.of(zip.getFileName().toString(), Files.readAllBytes(zip), name + ".zip.sig", sig))));
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
                    JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body());
                    // A binary .sig (gpg --detach-sign without --armor) is one openpgp.js's readSignature({armoredSignature}) cannot read.
                    assertThat(body.path("message").asText()).startsWith(name + (sig == binary ? ".zip.sig is not ASCII-armoured; Fleet reads"
                                    + " only armoured signatures" : ".zip.sig is not an armoured detached OpenPGP signature"))
                            .endsWith("so nothing was published")
                            .doesNotContain(dir.toString()).doesNotContain("/tmp");
                }

                Files.write(dir.resolve(name + ".zip.sig"), binary);
                PushRun refused = push(base, acme.token(), zip);
                assertThat(refused.exit()).as(refused.output()).isEqualTo(1);
                assertThat(refused.output().lines().filter(l -> l.startsWith("refused ")).toList()).as(refused.output())
                        .containsExactly("refused " + zip + ": " + name + ".zip.sig is not ASCII-armoured; Fleet reads only armoured"
                                + " signatures, so nothing was published");

                HttpResponse<String> search = http.send(HttpRequest.newBuilder(base.resolve("/search?package=acme_logs&all=true")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(search.body().strip()).isEqualTo("[]");
                // The version is still free: the same zip with its armoured signature is published now.
                Files.writeString(dir.resolve(name + ".zip.sig"), key.armoredDetachedSignature(Files.readAllBytes(zip)));
                PushRun published = push(base, acme.token(), zip);
                assertThat(published.exit()).as(published.output()).isZero();
                assertThat(published.output()).contains("published " + name + " (signed)");
            }
        }
    }

    /**
     * With {@code -publish-verification-key} (the key Fleet verifies the company's packages with), the
     * upload API publishes only a package whose {@code .sig} verifies over its zip with that key: one
     * signed with another key, over other bytes, or not at all had been published, and Fleet then
     * refused to install it as unverified. Each is a 400 with one message and nothing stored; {@code
     * push -server} given the key says so in one line before sending; the version stays free.
     */
    @Test
    void withAPublisherKeyOnlyAPackageSignedOverItsZipWithThatKeyIsPublished() throws Exception {
        NewToken acme = Publishing.token("ci-acme", "publish:acme_*");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), acme);
        Path version = Files.list(TestPackages.source().resolve("acme_logs")).findFirst().orElseThrow();
        String name = "acme_logs-" + version.getFileName();
        Path zip = dir.resolve(name + ".zip");
        TestPackages.zipFolder(version, name, zip);
        byte[] zipBytes = Files.readAllBytes(zip);
        PgpKeys company = PgpKeys.generate("Company packages <packages@wharf.invalid>");
        PgpKeys other = PgpKeys.generate("EPR CI <ci@wharf.invalid>");
        Path key = Files.writeString(dir.resolve("company.asc"), company.armoredPublicKey());
        String otherKey = other.armoredDetachedSignature(zipBytes);
        String otherBytes = company.armoredDetachedSignature("other bytes".getBytes(StandardCharsets.UTF_8));
        HttpClient http = HttpClient.newHttpClient();
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"))) {
            int port = TestPorts.free();
            try (WharfProcess server = server(registry, port, tokens, "-publish-verification-key", key.toString())) {
                URI base = URI.create("http://127.0.0.1:" + port);
                server.awaitReady(base.resolve("/health"), Duration.ofMinutes(1));
                HttpResponse<String> unsigned = Publishing.put(http, base.resolve("/api/v1/packages?refresh=true"), acme.token(),
                        "application/zip", HttpRequest.BodyPublishers.ofFile(zip));
                assertThat(unsigned.statusCode()).as(unsigned.body()).isEqualTo(400);
                assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(unsigned.body()).path("message").asText())
                        .isEqualTo(name + ".zip has no signature (" + name + ".zip.sig): -publish-verification-key requires every"
                                + " published package to be signed with its key, which Fleet verifies packages with, so nothing was published");
                for (Map.Entry<String, String> sig : Map.of(otherKey, ", which is not in -publish-verification-key; ",
                        otherBytes, "): the zip was altered; ").entrySet()) {
                    HttpResponse<String> answer = Publishing.put(http, base.resolve("/api/v1/packages?refresh=true"), acme.token(),
                            Publishing.MULTIPART_TYPE, HttpRequest.BodyPublishers.ofByteArray(Publishing.multipart(Map.of(
                                    zip.getFileName().toString(), zipBytes, name + ".zip.sig", sig.getKey().getBytes(StandardCharsets.UTF_8)))));
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
                    JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body());
                    assertThat(body.path("message").asText()).startsWith(name + ".zip ").contains(sig.getValue())
                            .endsWith("Fleet would refuse to install it as unverified, so nothing was published")
                            .doesNotContain(dir.toString()).doesNotContain("/tmp");
                }

                // push -server: the server's refusal, and with the key given to push too, its own line before sending.
                Files.writeString(dir.resolve(name + ".zip.sig"), otherKey);
                PushRun refusedByServer = push(base, acme.token(), zip);
                assertThat(refusedByServer.exit()).as(refusedByServer.output()).isEqualTo(1);
                assertThat(refusedByServer.output().lines().filter(l -> l.startsWith("refused ")).toList()).as(refusedByServer.output())
                        .singleElement().asString().startsWith("refused " + zip + ": HTTP 400: " + name + ".zip is signed by key ");
                PushRun refusedByPush = push(base, acme.token(), zip, "-publish-verification-key", key.toString());
                assertThat(refusedByPush.exit()).as(refusedByPush.output()).isEqualTo(1);
                assertThat(refusedByPush.output().lines().filter(l -> l.startsWith("refused ")).toList()).as(refusedByPush.output())
                        .singleElement().asString().startsWith("refused " + zip + ": " + name + ".zip is signed by key ")
                        .endsWith(", which is not in -publish-verification-key; Fleet would refuse to install it as unverified, so nothing"
                                + " was published");

                HttpResponse<String> search = http.send(HttpRequest.newBuilder(base.resolve("/search?package=acme_logs&all=true")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(search.body().strip()).isEqualTo("[]");
                // The version is still free: signed with the key over its zip, it is published now.
                Files.writeString(dir.resolve(name + ".zip.sig"), company.armoredDetachedSignature(zipBytes));
                PushRun published = push(base, acme.token(), zip, "-publish-verification-key", key.toString());
                assertThat(published.exit()).as(published.output()).isZero();
                assertThat(published.output()).contains("published " + name + " (signed)");
            }
        }
    }

    /**
     * A server that serves only signed packages (-require-package-signatures, the default) had
     * answered 201 for a package sent without its .sig, stored it, then left it out of the index:
     * "published", never served, its version taken (409 even with the signature). Now a 400 with one
     * message saying how to send the .sig, push -server's one refused line, nothing stored.
     */
    @Test
    void aServerRequiringSignaturesRefusesAnUnsignedPackageAndTheVersionStaysFree() throws Exception {
        NewToken acme = Publishing.token("ci-acme", "publish:acme_*");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), acme);
        Path version = Files.list(TestPackages.source().resolve("acme_logs")).findFirst().orElseThrow();
        String name = "acme_logs-" + version.getFileName();
        Path zip = dir.resolve(name + ".zip");
        TestPackages.zipFolder(version, name, zip);
        String message = name + ".zip has no signature: this server serves only signed packages (-require-package-signatures), so nothing"
                + " was published; send the zip with its .sig as multipart/form-data (package-registry push -server sends NAME.zip.sig"
                + " when it lies beside NAME.zip)";
        HttpClient http = HttpClient.newHttpClient();
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"))) {
            int port = TestPorts.free();
            // The last of the two settings counts, as with Go's flags: signatures required, as by default.
            try (WharfProcess server = server(registry, port, tokens, "-require-package-signatures=true")) {
                URI base = URI.create("http://127.0.0.1:" + port);
                server.awaitReady(base.resolve("/health"), Duration.ofMinutes(1));
                HttpResponse<String> body = Publishing.put(http, base.resolve("/api/v1/packages?refresh=true"), acme.token(),
                        "application/zip", HttpRequest.BodyPublishers.ofFile(zip));
                assertThat(body.statusCode()).as(body.body()).isEqualTo(400);
                assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(body.body()).path("message").asText()).isEqualTo(message);
                HttpResponse<String> form = Publishing.put(http, base.resolve("/api/v1/packages?refresh=true"), acme.token(),
                        Publishing.MULTIPART_TYPE, HttpRequest.BodyPublishers.ofByteArray(
                                Publishing.multipart(Map.of(zip.getFileName().toString(), Files.readAllBytes(zip)))));
                assertThat(form.statusCode()).as(form.body()).isEqualTo(400);
                assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(form.body()).path("message").asText()).isEqualTo(message);

                PushRun refused = push(base, acme.token(), zip);
                assertThat(refused.exit()).as(refused.output()).isEqualTo(1);
                assertThat(refused.output().lines().filter(l -> l.startsWith("refused ")).toList()).as(refused.output())
                        .containsExactly("refused " + zip + ": HTTP 400: " + message);

                HttpResponse<String> search = http.send(HttpRequest.newBuilder(base.resolve("/search?package=acme_logs&all=true")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(search.body().strip()).isEqualTo("[]");
                // The version is still free: with its .sig beside it, the same zip is published and served.
                Files.writeString(dir.resolve(name + ".zip.sig"), PgpKeys.generate("EPR CI <ci@wharf.invalid>")
                        .armoredDetachedSignature(Files.readAllBytes(zip)));
                PushRun published = push(base, acme.token(), zip);
                assertThat(published.exit()).as(published.output()).isZero();
                assertThat(published.output()).contains("published " + name + " (signed)");
                HttpResponse<String> served = http.send(HttpRequest.newBuilder(base.resolve("/search?package=acme_logs&all=true")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(served.body()).contains("\"name\": \"acme_logs\"");
            }
        }
    }

    /** -publish-verification-key guards the upload API: without -auth-tokens-file there is none, and the start is refused. */
    @Test
    void aPublisherKeyWithoutATokensFileIsRefusedAtStart() throws Exception {
        Path key = Files.writeString(dir.resolve("company.asc"), PgpKeys.generate("Company <packages@wharf.invalid>").armoredPublicKey());
        try (WharfProcess server = WharfProcess.start(dir.resolve("work"), Map.of(), List.of("package-registry", "-feature-oci-indexer",
                "-oci-registry", "oci-layout:" + dir.resolve("oci"), "-address", "127.0.0.1:" + TestPorts.free(),
                "-publish-verification-key", key.toString()))) {
            assertThat(server.waitFor(Duration.ofMinutes(1))).as(server.output()).isEqualTo(2);
            assertThat(server.output()).contains("package-registry: -publish-verification-key is for PUT /api/v1/packages: it needs"
                    + " -auth-tokens-file");
        }
    }

    /** package-registry publishing into {@code epr/published} of the registry, with the tokens file. */
    private WharfProcess server(DockerRegistryServer registry, int port, Path tokens, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("package-registry", "-feature-oci-indexer",
                "-oci-registry", registry.host(), "-oci-repository", "epr/published", "-oci-insecure", "-address", "127.0.0.1:" + port,
                "-require-package-signatures=false", "-log-type", "dev", "-oci-refresh-interval", "0", "-auth-tokens-file", tokens.toString()));
        args.addAll(List.of(extra));
        return WharfProcess.start(dir.resolve("work"), Map.of(), args);
    }

    private record PushRun(int exit, String output) {
    }

    /** {@code push -server -token} in its own process, with no registry flags or credentials. */
    private PushRun push(URI base, String token, Path zip, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("package-registry", "push", "-server", base.toString()));
        args.addAll(List.of(extra));
        args.add(zip.toString());
        try (WharfProcess push = WharfProcess.start(dir.resolve("push"), Map.of("EPR_TOKEN", token), args)) {
            int exit = push.waitFor(Duration.ofMinutes(2));
            return new PushRun(exit, push.output());
        }
    }
}
