package dev.wharf.terraform.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.WebServer;
import dev.wharf.oci.Digest;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.archive.ZipInspector;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.auth.OidcSettings;
import dev.wharf.terraform.auth.OidcVerifier;
import dev.wharf.terraform.mirror.MirrorCoordinates;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.mirror.MirrorService;
import dev.wharf.terraform.mirror.MirrorStorage;
import dev.wharf.terraform.mirror.PackageHashes;
import dev.wharf.terraform.mirror.PullThrough;
import dev.wharf.terraform.mirror.upstream.HttpUpstreamRegistry;
import dev.wharf.terraform.mirror.upstream.UpstreamHosts;
import dev.wharf.testing.LogCapture;
import dev.wharf.testing.OidcIssuer;
import dev.wharf.testing.StaticHttpServer;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorApiTest {
    private static final MirrorCoordinates DUMMY = new MirrorCoordinates("registry.example.test", "acme", "dummy");
    private static final String BASE = "/v1/mirror/registry.example.test/acme/dummy/";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;
    private final HttpClient http = HttpClient.newHttpClient();
    private MirrorStorage storage;
    private Path zip;
    private WebServer server;
    private OidcIssuer issuer;

    @BeforeEach
    void setUp() throws Exception {
        storage = new MirrorStorage(new ImageLayoutStore(temp.resolve("oci")), TerraformLayout.under("boring-registry"),
                Files.createDirectories(temp.resolve("tmp")));
        zip = temp.resolve("p.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("terraform-provider-dummy_v1.0.0"));
            z.write("#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));
        }
        storage.storeArchive(DUMMY, "1.0.0", "linux", "amd64", zip, PackageHashes.of(zip));
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    void servesIndexVersionAndArchiveAsJsonAndZip() throws Exception {
        start(ClientAuthentication.open());

        HttpResponse<String> index = get(BASE + "index.json", null);
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(JSON.readTree(index.body())).isEqualTo(JSON.readTree("{\"versions\":{\"1.0.0\":{}}}"));

        JsonNode version = JSON.readTree(get(BASE + "1.0.0.json", null).body());
        JsonNode linux = version.path("archives").path("linux_amd64");
        assertThat(linux.path("url").asText()).isEqualTo("terraform-provider-dummy_1.0.0_linux_amd64.zip");
        assertThat(linux.path("hashes").get(0).asText()).isEqualTo(PackageHashes.h1Of(zip));
        assertThat(linux.path("hashes").get(1).asText()).isEqualTo(PackageHashes.zhOf(zip));

        HttpResponse<byte[]> archive = http.send(request(BASE + linux.path("url").asText(), null).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(archive.statusCode()).isEqualTo(200);
        assertThat(archive.body()).isEqualTo(Files.readAllBytes(zip));
        HttpResponse<Void> head = http.send(request(BASE + linux.path("url").asText(), null)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(Files.size(zip));

        // Its digest is its entity tag, as for every file the registry serves: a current copy is a 304 without a body.
        String tag = archive.headers().firstValue("ETag").orElseThrow();
        assertThat(tag).isEqualTo("\"" + dev.wharf.oci.Digest.sha256(Files.readAllBytes(zip)) + "\"");
        HttpResponse<byte[]> current = http.send(request(BASE + linux.path("url").asText(), null).header("If-None-Match", tag).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(current.statusCode()).isEqualTo(304);
        assertThat(current.body()).isEmpty();
        assertThat(current.headers().firstValue("Content-Length")).isEmpty();
        assertThat(http.send(request(BASE + linux.path("url").asText(), null).header("If-None-Match", "\"sha256:0000\"").build(),
                HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(Files.readAllBytes(zip));
        // A client that acts only on the copy it names: another is refused (RFC 9110 §13.1.1), its own is served.
        HttpResponse<byte[]> refused = http.send(request(BASE + linux.path("url").asText(), null).header("If-Match", "\"sha256:0000\"").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(refused.statusCode()).isEqualTo(412);
        assertThat(refused.body()).isEmpty();
        assertThat(http.send(request(BASE + linux.path("url").asText(), null).header("If-Match", tag).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(Files.readAllBytes(zip));
    }

    /**
     * The embedded layout reads the archive from a file, so a Range gets its part (206, 416 past the end) as on the
     * registry's own file routes, and a HEAD with a Range says what the GET would, where it said 200 and the whole length.
     */
    @Test
    void aRangeOfAnArchiveIsAnsweredWithItsPartAndAHeadAsTheGetWouldBe() throws Exception {
        start(ClientAuthentication.open());
        String path = BASE + "terraform-provider-dummy_1.0.0_linux_amd64.zip";
        byte[] whole = Files.readAllBytes(zip);
        int size = whole.length;
        String tag = "\"" + Digest.sha256(whole) + "\"";
        // Each range, the part it gets and that part's Content-Range.
        Map<String, Map.Entry<byte[], String>> parts = new LinkedHashMap<>();
        parts.put("bytes=5-14", Map.entry(Arrays.copyOfRange(whole, 5, 15), "bytes 5-14/" + size));
        parts.put("bytes=-7", Map.entry(Arrays.copyOfRange(whole, size - 7, size), "bytes " + (size - 7) + "-" + (size - 1) + "/" + size));
        parts.put("bytes=" + size + "-", Map.entry(new byte[0], "bytes */" + size));
        parts.put("bytes=0-", Map.entry(whole, "bytes 0-" + (size - 1) + "/" + size));
        for (Map.Entry<String, Map.Entry<byte[], String>> part : parts.entrySet()) {
            String range = part.getKey();
            HttpResponse<byte[]> get = http.send(request(path, null).header("Range", range).build(), HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<byte[]> head = http.send(request(path, null).header("Range", range).method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(get.statusCode()).as(range).isEqualTo(range.equals("bytes=" + size + "-") ? 416 : 206);
            assertThat(get.body()).as(range).isEqualTo(part.getValue().getKey());
            assertThat(get.headers().firstValue("Content-Range")).as(range).contains(part.getValue().getValue());
            assertThat(head.statusCode()).as(range).isEqualTo(get.statusCode());
            for (String header : List.of("Content-Length", "Content-Range", "Accept-Ranges", "ETag", "Content-Type")) {
                assertThat(head.headers().firstValue(header)).as(range + ": " + header).isEqualTo(get.headers().firstValue(header));
            }
            assertThat(head.body()).isEmpty();
        }
        // An If-Range naming another file asks for the whole: 200 for both, and the one naming this file gets the part.
        for (String ifRange : List.of("\"sha256:0000\"", tag)) {
            HttpResponse<byte[]> get = http.send(request(path, null).header("Range", "bytes=5-14").header("If-Range", ifRange).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<byte[]> head = http.send(request(path, null).header("Range", "bytes=5-14").header("If-Range", ifRange)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(get.statusCode()).as(ifRange).isEqualTo(ifRange.equals(tag) ? 206 : 200);
            assertThat(get.body()).as(ifRange).isEqualTo(ifRange.equals(tag) ? Arrays.copyOfRange(whole, 5, 15) : whole);
            assertThat(head.statusCode()).as(ifRange).isEqualTo(get.statusCode());
            assertThat(head.headers().firstValue("Content-Length")).as(ifRange).isEqualTo(get.headers().firstValue("Content-Length"));
        }
    }

    @Test
    void anArchiveThatFailsItsDigestIsAnErrorNotADownload() throws Exception {
        start(ClientAuthentication.open());
        byte[] good = Files.readAllBytes(zip);
        String hex = dev.wharf.oci.Digest.sha256(good).hex();
        Path blob;
        try (var files = Files.walk(temp.resolve("oci"))) {
            blob = files.filter(p -> p.getFileName().toString().equals(hex)).findFirst().orElseThrow();
        }
        byte[] damaged = good.clone();
        damaged[damaged.length / 2] ^= 0x5a;
        Files.write(blob, damaged);

        HttpResponse<String> archive = get(BASE + "terraform-provider-dummy_1.0.0_linux_amd64.zip", null);
        assertThat(archive.statusCode()).isEqualTo(502);
        // In general terms with a request id; the log has "does not match its digest" under that id.
        assertThat(JSON.readTree(archive.body()).path("errors").get(0).asText()).isEqualTo("storage failed while reading the archive"
                + " (request id " + archive.headers().firstValue("X-Request-Id").orElseThrow() + "; the server log has the details)");
    }

    @Test
    void errorsComeInTheRegistryForm() throws Exception {
        start(ClientAuthentication.open());

        HttpResponse<String> unknown = get("/v1/mirror/registry.example.test/acme/other/index.json", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).path("errors").get(0).asText()).contains("registry.example.test/acme/other is not mirrored");
        assertThat(get(BASE + "not-a-version.json", null).statusCode()).isEqualTo(400);
        assertThat(get(BASE + "terraform-provider-dummy_1.0.0_darwin_arm64.zip", null).statusCode()).isEqualTo(404);
    }

    @Test
    void withOidcTheJsonNeedsAValidTokenAndArchiveUrlsCarryASignature() throws Exception {
        issuer = OidcIssuer.start();
        OidcVerifier verifier = OidcVerifier.connect(new OidcSettings(issuer.issuer(), "wharf", Optional.empty(), List.of(),
                Optional.empty(), Duration.ofSeconds(30)), http, Clock.systemUTC());
        start(new ClientAuthentication(h -> false, false, Optional.of(verifier)));
        String good = issuer.token("alice", "wharf", Duration.ofMinutes(5));
        String expired = issuer.expiredToken("alice", "wharf", Duration.ofMinutes(5));

        HttpResponse<String> none = get(BASE + "index.json", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(none.body()).path("errors").get(0).asText()).contains("authentication required");
        HttpResponse<String> old = get(BASE + "index.json", expired);
        assertThat(old.statusCode()).isEqualTo(401);
        assertThat(old.body()).contains("Expired").doesNotContain(expired);
        assertThat(get(BASE + "index.json", issuer.forgedToken("mallory", "wharf")).statusCode()).isEqualTo(401);
        assertThat(get(BASE + "index.json", good).statusCode()).isEqualTo(200);

        String url = JSON.readTree(get(BASE + "1.0.0.json", good).body()).path("archives").path("linux_amd64").path("url").asText();
        assertThat(url).startsWith("terraform-provider-dummy_1.0.0_linux_amd64.zip?expires=").contains("&signature=");
        assertThat(http.send(request(BASE + url, null).build(), HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(Files.readAllBytes(zip));
        assertThat(get(BASE + "terraform-provider-dummy_1.0.0_linux_amd64.zip", null).statusCode()).isEqualTo(401);
        assertThat(get(BASE + url.replaceAll("signature=.*", "signature=forged"), null).statusCode()).isEqualTo(403);
    }

    /**
     * Pulled through into a temporary folder the local disk cannot take (its path is a regular file, which no
     * permission, root's neither, makes a folder): the server's own failure, 507 as every write its disk refuses,
     * where it had been a 500; the log names the folder, and nothing is stored.
     */
    @Test
    void aPullWhoseSpoolTheLocalDiskRefusesIsTheServersFailureNamingWhereAndStoresNothing() throws Exception {
        byte[] darwin = Files.readAllBytes(zip);
        String name = "terraform-provider-dummy_1.0.0_darwin_arm64.zip";
        String sums = Digest.sha256(darwin).hex() + "  " + name + "\n";
        try (StaticHttpServer upstream = StaticHttpServer.start()) {
            upstream.put("/.well-known/terraform.json", "{\"providers.v1\":\"/v1/providers/\"}")
                    .put("/v1/providers/acme/dummy/1.0.0/download/darwin/arm64", """
                            {"os":"darwin","arch":"arm64","filename":"%s","download_url":"/files/%s","shasums_url":"/files/SUMS",
                             "shasums_signature_url":"/files/SUMS.sig","signing_keys":{"gpg_public_keys":[{"key_id":"ABCD","ascii_armor":"armor"}]}}
                            """.formatted(name, name))
                    .put("/files/" + name, darwin)
                    .put("/files/SUMS", sums)
                    .put("/files/SUMS.sig", "signed");
            HttpUpstreamRegistry client = new HttpUpstreamRegistry(HttpClient.newHttpClient(),
                    UpstreamHosts.parse(List.of("registry.example.test=" + upstream.base())), (content, signature, keys) -> "ABCD",
                    Duration.ofSeconds(30));
            Path notAFolder = Files.writeString(temp.resolve("spool"), "a file where the spool folder should be");
            PullThrough pull = new PullThrough(client, storage, notAFolder, new ZipInspector(ArchiveLimits.DEFAULT));
            start(new MirrorService(storage, Optional.of(pull)), ClientAuthentication.open());

            HttpResponse<String> answer;
            try (LogCapture log = LogCapture.of(MirrorApi.class.getName())) {
                answer = get(BASE + name, null);
                assertThat(answer.statusCode()).isEqualTo(507);
                String id = answer.headers().firstValue("X-Request-Id").orElseThrow();
                assertThat(log.lines(Level.WARN)).singleElement().asString().startsWith("WARN " + MirrorApi.class.getName() + " request " + id
                        + ": GET " + BASE + name + " answered 507: cannot write a temporary file in " + notAFolder + " to download " + name
                        + " from upstream into: ");
                assertThat(JSON.readTree(answer.body()).path("errors").get(0).asText()).isEqualTo("the server's disk refused a write"
                        + " (request id " + id + "; the server log has the details)");
            }
            assertThat(storage.archive(DUMMY, "1.0.0", "darwin", "arm64")).isEmpty();
            assertThat(Files.readString(notAFolder)).isEqualTo("a file where the spool folder should be");
        }
    }

    private void start(ClientAuthentication auth) {
        start(new MirrorService(storage, Optional.empty()), auth);
    }

    private void start(MirrorService service, ClientAuthentication auth) {
        MirrorApi api = new MirrorApi(service, auth, FileUrlSigner.withRandomKey(Duration.ofMinutes(5)));
        server = WebServer.start(new ListenAddress("127.0.0.1", 0), Optional.empty(), api::register);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(request(path, token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.localUri() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }
}
