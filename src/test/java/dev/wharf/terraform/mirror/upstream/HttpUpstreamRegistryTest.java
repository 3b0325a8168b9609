package dev.wharf.terraform.mirror.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.wharf.oci.Digest;
import dev.wharf.terraform.mirror.MirrorCoordinates;
import dev.wharf.http.TrustedCertificates;
import dev.wharf.terraform.provider.SignatureVerifier;
import dev.wharf.testing.PgpKeys;
import dev.wharf.testing.StaticHttpServer;
import dev.wharf.testing.TestCertificates;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a registry served from static files. The signature scheme here is a stand-in
 * (the "signature" is the SHA-256 of the SHA256SUMS) so that these tests are about the client's
 * plumbing; OpenPGP verification is tested with real keys where the mirror wires the real check.
 */
class HttpUpstreamRegistryTest {
    private static final MirrorCoordinates DUMMY = new MirrorCoordinates("registry.example.test", "acme", "dummy");
    private static final String ZIP_NAME = "terraform-provider-dummy_1.0.0_linux_amd64.zip";
    private static final byte[] ZIP = "pretend zip content".getBytes(StandardCharsets.UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEYS = "{\"gpg_public_keys\":[{\"key_id\":\"ABCD\",\"ascii_armor\":\"armor\"}]}";

    @TempDir
    Path temp;
    private StaticHttpServer upstream;
    private final AtomicReference<String> keysSeen = new AtomicReference<>();

    @BeforeEach
    void start() {
        upstream = StaticHttpServer.start();
        String sums = Digest.sha256(ZIP).hex() + "  " + ZIP_NAME + "\n" + "0".repeat(64) + "  other.zip\n";
        upstream.put("/.well-known/terraform.json", "{\"modules.v1\":\"/m/\",\"providers.v1\":\"/api/providers/\"}")
                .put("/api/providers/acme/dummy/versions", """
                        {"versions":[{"version":"1.0.0","protocols":["5.0"],"platforms":[{"os":"linux","arch":"amd64"},{"os":"darwin","arch":"arm64"}]},
                                     {"version":"0.9.0","protocols":["5.0"],"platforms":[{"os":"linux","arch":"amd64"}]}]}
                        """)
                .put("/api/providers/acme/dummy/1.0.0/download/linux/amd64", """
                        {"protocols":["5.0"],"os":"linux","arch":"amd64","filename":"%s",
                         "download_url":"../../../../../../../files/%s","shasums_url":"/files/SUMS","shasums_signature_url":"%s/files/SUMS.sig",
                         "shasum":"%s","signing_keys":%s}
                        """.formatted(ZIP_NAME, ZIP_NAME, upstream.base(), Digest.sha256(ZIP).hex(), KEYS))
                .put("/files/" + ZIP_NAME, ZIP)
                .put("/files/SUMS", sums)
                .put("/files/SUMS.sig", standInSignature(sums.getBytes(StandardCharsets.UTF_8)));
    }

    @AfterEach
    void stop() {
        upstream.close();
    }

    @Test
    void discoversTheProvidersServiceAndListsVersionsWithPlatforms() {
        List<UpstreamVersion> versions = client().versions(DUMMY);

        assertThat(versions).extracting(UpstreamVersion::version).containsExactly("1.0.0", "0.9.0");
        assertThat(versions.get(0).platforms()).containsExactly("linux_amd64", "darwin_arm64");
        assertThat(upstream.requests()).startsWith("/.well-known/terraform.json", "/api/providers/acme/dummy/versions");
    }

    /** Terraform reads the versions answer with Go's encoding/json too: names in any case, at every level. */
    @Test
    void theVersionsAnswerIsReadAsTerraformReadsItNamesInAnyCase() {
        upstream.put("/api/providers/acme/dummy/versions", """
                {"Versions":[{"VERSION":"1.0.0","Protocols":["5.0"],"PlatForms":[{"OS":"linux","Arch":"amd64"},{"os":"darwin","ARCH":"arm64"}]},
                             {"Version":"0.9.0","protocols":["4.0"],"Platforms":[{"Os":"linux","aRcH":"amd64"}]}]}
                """);
        List<UpstreamVersion> versions = client().versions(DUMMY);

        assertThat(versions).extracting(UpstreamVersion::version).containsExactly("1.0.0", "0.9.0");
        assertThat(versions.get(0).platforms()).containsExactly("linux_amd64", "darwin_arm64");
        assertThat(versions.get(0).protocols()).containsExactly("5.0");
        assertThat(versions.get(1).platforms()).containsExactly("linux_amd64");
        assertThat(versions.get(1).protocols()).containsExactly("4.0");
    }

    /** Terraform's Go converts no member to another type; Jackson's leniency read a version 1.10 as "1.1". */
    @Test
    void aMemberOfAnotherTypeIsRefusedNamingItAndTheAddress() {
        String download = upstream.base() + "/api/providers/acme/dummy/1.0.0/download/linux/amd64";
        upstream.put("/api/providers/acme/dummy/1.0.0/download/linux/amd64", """
                {"os":"linux","arch":"amd64","filename":7,"download_url":"/files/x","shasums_url":"/files/SUMS",
                 "shasums_signature_url":"/files/SUMS.sig","signing_keys":%s}
                """.formatted(KEYS));
        // It was "… answered without 'filename'".
        assertThatThrownBy(() -> client().packageFor(DUMMY, "1.0.0", "linux", "amd64"))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.BAD_RESPONSE))
                .hasMessage(download + " answered filename as a number, not a string: terraform does not read such an answer");
        String versions = upstream.base() + "/api/providers/acme/dummy/versions";
        Map<String, String> answers = new LinkedHashMap<>();
        answers.put("{\"versions\":[{\"version\":\"1.0.0\"},{\"version\":1.10,\"protocols\":[\"5.0\"]}]}",
                "versions[1].version as a number, not a string");
        answers.put("{\"versions\":[{\"version\":\"1.0.0\",\"protocols\":[5.0]}]}", "versions[0].protocols[0] as a number, not a string");
        answers.put("{\"versions\":[{\"version\":\"1.0.0\",\"platforms\":[{\"os\":true,\"arch\":\"amd64\"}]}]}",
                "versions[0].platforms[0].os as a boolean, not a string");
        answers.put("{\"versions\":[{\"version\":\"1.0.0\",\"platforms\":{\"a\":{\"os\":\"linux\",\"arch\":\"amd64\"}}}]}",
                "versions[0].platforms as an object, not a list");
        answers.forEach((answer, said) -> {
            upstream.put("/api/providers/acme/dummy/versions", answer);
            assertThatThrownBy(() -> client().versions(DUMMY)).as(answer)
                    .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.BAD_RESPONSE))
                    .hasMessage(versions + " answered " + said + ": terraform does not read such an answer");
        });
    }

    @Test
    void discoveryIsAskedOncePerHost() {
        HttpUpstreamRegistry client = client();
        client.versions(DUMMY);
        client.versions(DUMMY);
        assertThat(upstream.requests()).filteredOn(p -> p.startsWith("/.well-known")).hasSize(1);
    }

    @Test
    void anAbsoluteProvidersServiceUrlIsFollowed() {
        upstream.put("/.well-known/terraform.json", "{\"providers.v1\":\"" + upstream.base() + "/api/providers\"}");
        assertThat(client().versions(DUMMY)).hasSize(2);
    }

    @Test
    void fetchesAVerifiedReleaseResolvingRelativeUrls() throws Exception {
        HttpUpstreamRegistry client = client();
        UpstreamPackage pkg = client.packageFor(DUMMY, "1.0.0", "linux", "amd64");
        assertThat(pkg.downloadUrl()).isEqualTo(URI.create(upstream.base() + "/files/" + ZIP_NAME));

        VerifiedRelease release = client.fetch(pkg, temp);

        assertThat(Files.readAllBytes(release.archive())).isEqualTo(ZIP);
        assertThat(new String(release.sha256Sums(), StandardCharsets.UTF_8)).contains(ZIP_NAME);
        assertThat(release.signingKeyId()).isEqualTo("ABCD");
        assertThat(keysSeen.get()).isEqualTo(KEYS);
    }

    @Test
    void aZipThatDoesNotMatchTheSignedSumsIsRefusedAndNothingIsLeftBehind() throws Exception {
        upstream.put("/files/" + ZIP_NAME, "tampered".getBytes(StandardCharsets.UTF_8));
        HttpUpstreamRegistry client = client();
        UpstreamPackage pkg = client.packageFor(DUMMY, "1.0.0", "linux", "amd64");

        assertThatThrownBy(() -> client.fetch(pkg, temp))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.VERIFICATION_FAILED))
                .hasMessageContaining(ZIP_NAME)
                .hasMessageContaining("signed SHA256SUMS says " + Digest.sha256(ZIP).hex());
        try (var left = Files.list(temp)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aBadSignatureStopsBeforeTheZipIsDownloaded() {
        upstream.put("/files/SUMS.sig", "forged".getBytes(StandardCharsets.UTF_8));
        HttpUpstreamRegistry client = client();
        UpstreamPackage pkg = client.packageFor(DUMMY, "1.0.0", "linux", "amd64");

        assertThatThrownBy(() -> client.fetch(pkg, temp))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.VERIFICATION_FAILED))
                .hasMessageContaining("signature of registry.example.test/acme/dummy 1.0.0 does not verify: stand-in signature mismatch");
        assertThat(upstream.requests()).doesNotContain("/files/" + ZIP_NAME);
    }

    /**
     * Terraform reads the download answer with Go's encoding/json (names in any case) and never reads
     * a key's key_id; such an answer is verified with the real check and its keys kept in the canonical form.
     */
    @Test
    void signingKeysAreReadAsTerraformReadsThemNamesInAnyCaseAndNoKeyIdNeeded() throws Exception {
        PgpKeys key = PgpKeys.generate("Upstream <upstream@example.test>");
        String sums = Digest.sha256(ZIP).hex() + "  " + ZIP_NAME + "\n";
        String keys = JSON.writeValueAsString(Map.of("GPG_Public_Keys", List.of(Map.of("ASCII_Armor", key.armoredPublicKey(),
                "Trust_Signature", ""))));
        upstream.put("/api/providers/acme/dummy/1.0.0/download/linux/amd64", """
                        {"Protocols":["5.0"],"OS":"linux","Arch":"amd64","FileName":"%s","Download_URL":"/files/%s",
                         "SHASUMS_URL":"/files/SUMS","ShaSums_Signature_Url":"/files/SUMS.sig","SHASUM":"%s","Signing_Keys":%s}
                        """.formatted(ZIP_NAME, ZIP_NAME, Digest.sha256(ZIP).hex(), keys))
                .put("/files/SUMS", sums)
                .put("/files/SUMS.sig", key.detachedSignature(sums.getBytes(StandardCharsets.UTF_8)));
        HttpUpstreamRegistry client = new HttpUpstreamRegistry(HttpUpstreamRegistry.client(Optional.empty(), Duration.ofSeconds(5)),
                UpstreamHosts.parse(List.of("registry.example.test=" + upstream.base())), new OpenPgpSignatureCheck(), Duration.ofSeconds(5));

        UpstreamPackage pkg = client.packageFor(DUMMY, "1.0.0", "linux", "amd64");
        String keyId = SignatureVerifier.primaryKeyId(key.armoredPublicKey());
        JsonNode stored = JSON.readTree(pkg.signingKeysJson()).path("gpg_public_keys");
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).path("key_id").asText()).isEqualTo(keyId);
        assertThat(stored.get(0).path("ascii_armor").asText()).isEqualTo(key.armoredPublicKey());
        VerifiedRelease release = client.fetch(pkg, temp);
        assertThat(Files.readAllBytes(release.archive())).isEqualTo(ZIP);
        assertThat(release.signingKeyId()).isEqualTo(keyId);
    }

    @Test
    void signingKeysTerraformCannotReadAreRefusedSayingWhy() {
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("\"armor\"", "signing_keys is a JSON string, not an object");
        refused.put("{\"gpg_public_keys\":{}}", "signing_keys.gpg_public_keys is not a list");
        refused.put("{\"gpg_public_keys\":[\"armor\"]}", "signing_keys.gpg_public_keys holds a JSON string, not a key");
        refused.put("{\"gpg_public_keys\":[{\"key_id\":\"ABCD\"}]}", "a key in signing_keys.gpg_public_keys has no ascii_armor");
        refused.put("{\"gpg_public_keys\":[{\"ascii_armor\":\"not a key\"}]}", "a key in signing_keys.gpg_public_keys, given without key_id, is unreadable");
        for (Map.Entry<String, String> answer : refused.entrySet()) {
            putDownload(answer.getKey());
            assertThatThrownBy(() -> client().packageFor(DUMMY, "1.0.0", "linux", "amd64")).as(answer.getKey())
                    .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.BAD_RESPONSE))
                    .hasMessageContaining("gives signing keys terraform cannot read: " + answer.getValue());
        }
        // No keys as terraform reads them: none at all, an empty list, or boring-registry's single-key file form,
        // which the protocol does not have.
        for (String none : List.of("null", "{}", "{\"gpg_public_keys\":[]}", "{\"key_id\":\"ABCD\",\"ascii_armor\":\"armor\"}")) {
            putDownload(none);
            assertThatThrownBy(() -> client().packageFor(DUMMY, "1.0.0", "linux", "amd64")).as(none)
                    .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.VERIFICATION_FAILED))
                    .hasMessageContaining("gives no signing keys");
        }
    }

    private void putDownload(String signingKeys) {
        upstream.put("/api/providers/acme/dummy/1.0.0/download/linux/amd64", """
                {"protocols":["5.0"],"os":"linux","arch":"amd64","filename":"%s","download_url":"/files/%s",
                 "shasums_url":"/files/SUMS","shasums_signature_url":"/files/SUMS.sig","signing_keys":%s}
                """.formatted(ZIP_NAME, ZIP_NAME, signingKeys));
    }

    @Test
    void anUnknownVersionIsNotFound() {
        assertThatThrownBy(() -> client().packageFor(DUMMY, "9.9.9", "linux", "amd64"))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.NOT_FOUND));
    }

    /** What the upstream names as an address is its own: one that is not http(s), or not an address, is a bad answer (502), not an internal error. */
    @Test
    void anAddressTheUpstreamGivesThatCannotBeAskedIsABadResponse() {
        for (String download : List.of("ftp://files.example.test/p.zip", "file:///etc/passwd", "http://[bad/p.zip")) {
            upstream.put("/api/providers/acme/dummy/1.0.0/download/linux/amd64", """
                    {"protocols":["5.0"],"os":"linux","arch":"amd64","filename":"%s",
                     "download_url":"%s","shasums_url":"/files/SUMS","shasums_signature_url":"/files/SUMS.sig",
                     "shasum":"%s","signing_keys":%s}
                    """.formatted(ZIP_NAME, download, Digest.sha256(ZIP).hex(), KEYS));
            assertThatThrownBy(() -> client().packageFor(DUMMY, "1.0.0", "linux", "amd64")).as(download)
                    .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.BAD_RESPONSE))
                    .hasMessageContaining("gives a download_url that is not");
        }
    }

    @Test
    void aRegistryWithoutProvidersServiceIsABadResponse() {
        upstream.put("/.well-known/terraform.json", "{\"modules.v1\":\"/m/\"}");
        assertThatThrownBy(() -> client().versions(DUMMY))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.BAD_RESPONSE))
                .hasMessageContaining("no providers.v1");
    }

    /** The request's timeout ends with the headers; an upstream sending a byte now and then must not hold the request for good. */
    @Test
    void anUpstreamThatTricklesItsAnswerIsCutAtTheTimeout() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        HttpServer trickling = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        trickling.createContext("/.well-known/terraform.json", exchange -> {
            byte[] body = "{\"providers.v1\":\"/v1/providers/\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        trickling.createContext("/v1/providers/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 100_000);
            try (java.io.OutputStream out = exchange.getResponseBody()) {
                while (!done.await(300, TimeUnit.MILLISECONDS)) {
                    out.write(' ');
                    out.flush();
                }
            } catch (java.io.IOException | InterruptedException e) {
                // the client hung up
            }
        });
        trickling.start();
        try {
            HttpUpstreamRegistry client = new HttpUpstreamRegistry(HttpUpstreamRegistry.client(Optional.empty(), Duration.ofSeconds(2)),
                    UpstreamHosts.parse(List.of("registry.example.test=http://127.0.0.1:" + trickling.getAddress().getPort())),
                    this::standInCheck, Duration.ofSeconds(2));
            long started = System.nanoTime();
            assertThatThrownBy(() -> client.versions(DUMMY)).isInstanceOf(UpstreamException.class).hasMessageContaining("took longer than 2 s");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the wait").isLessThan(Duration.ofSeconds(20));
        } finally {
            done.countDown();
            trickling.stop(0);
        }
    }

    @Test
    void anUpstreamThatIsDownIsUnreachableAndNamed() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        HttpUpstreamRegistry client = new HttpUpstreamRegistry(HttpUpstreamRegistry.client(Optional.empty(), Duration.ofSeconds(5)),
                UpstreamHosts.parse(List.of("registry.example.test=http://127.0.0.1:" + port)), this::standInCheck, Duration.ofSeconds(5));
        assertThatThrownBy(() -> client.versions(DUMMY))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.UNREACHABLE))
                .hasMessageContaining("registry.example.test at http://127.0.0.1:" + port + " cannot be reached");
    }

    @Test
    void anUpstreamBehindAPrivateCaIsTrustedThroughTheCaFileAndSaidUntrustedWithout() throws Exception {
        TestCertificates.SelfSigned companyCa = TestCertificates.localhost();
        Path caFile = Files.writeString(temp.resolve("company-ca.pem"), companyCa.certificatePem());
        try (StaticHttpServer internal = StaticHttpServer.startTls(companyCa)) {
            internal.put("/.well-known/terraform.json", "{\"providers.v1\":\"/v1/providers/\"}")
                    .put("/v1/providers/acme/dummy/versions", "{\"versions\":[{\"version\":\"1.0.0\",\"protocols\":[\"5.0\"],"
                            + "\"platforms\":[{\"os\":\"linux\",\"arch\":\"amd64\"}]}]}");
            UpstreamHosts hosts = UpstreamHosts.parse(List.of("registry.example.test=" + internal.base()));
            HttpUpstreamRegistry untrusted = new HttpUpstreamRegistry(HttpUpstreamRegistry.client(Optional.empty(), Duration.ofSeconds(5)),
                    hosts, this::standInCheck, Duration.ofSeconds(5));
            assertThatThrownBy(() -> untrusted.versions(DUMMY))
                    .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.UNREACHABLE))
                    .hasMessageContaining("the TLS handshake with upstream registry registry.example.test at " + internal.base() + " failed")
                    .hasMessageContaining("trusted with --network-mirror-upstream-ca-file");
            HttpUpstreamRegistry trusted = new HttpUpstreamRegistry(HttpUpstreamRegistry.client(
                    Optional.of(TrustedCertificates.withExtra(List.of(caFile))), Duration.ofSeconds(5)), hosts, this::standInCheck,
                    Duration.ofSeconds(5));
            assertThat(trusted.versions(DUMMY)).extracting(UpstreamVersion::version).containsExactly("1.0.0");
        }
    }

    @Test
    void mappingsAreParsedAndMalformedOnesRefused() {
        UpstreamHosts hosts = UpstreamHosts.parse(List.of("Registry.Example.Test=https://10.0.0.5:8443/, other.test=http://proxy:80"));
        assertThat(hosts.baseOf("registry.example.test")).isEqualTo(URI.create("https://10.0.0.5:8443"));
        assertThat(hosts.baseOf("other.test")).isEqualTo(URI.create("http://proxy:80"));
        assertThat(hosts.baseOf("registry.terraform.io")).isEqualTo(URI.create("https://registry.terraform.io"));
        assertThatThrownBy(() -> UpstreamHosts.parse(List.of("registry.example.test"))).hasMessageContaining("HOSTNAME=URL");
        assertThatThrownBy(() -> UpstreamHosts.parse(List.of("a.test=ftp://x"))).hasMessageContaining("not an http(s) URL");
        assertThatThrownBy(() -> UpstreamHosts.parse(List.of("a.test=http://x,a.test=http://y"))).hasMessageContaining("twice");
    }

    private HttpUpstreamRegistry client() {
        return new HttpUpstreamRegistry(HttpUpstreamRegistry.client(Optional.empty(), Duration.ofSeconds(5)),
                UpstreamHosts.parse(List.of("registry.example.test=" + upstream.base())), this::standInCheck, Duration.ofSeconds(5));
    }

    private String standInCheck(byte[] sums, byte[] signature, String keys) {
        keysSeen.set(keys);
        if (!Arrays.equals(signature, standInSignature(sums))) {
            throw new IllegalStateException("stand-in signature mismatch");
        }
        return "ABCD";
    }

    private static byte[] standInSignature(byte[] sums) {
        return Digest.sha256(sums).hex().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] standInSignature(String sums) {
        return standInSignature(sums.getBytes(StandardCharsets.UTF_8));
    }
}
