package dev.wharf.terraform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.RequestObserver;
import dev.wharf.http.WebServer;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.Digest;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.archive.ZipInspector;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.cache.CachingArtifactStore;
import dev.wharf.terraform.layout.ArchiveFormat;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.module.ModuleService;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.terraform.upload.ExcludePatterns;
import dev.wharf.terraform.upload.ModuleUploader;
import dev.wharf.terraform.upload.ProviderUploader;
import dev.wharf.terraform.upload.SigningKeyUploader;
import dev.wharf.terraform.upload.UploadException;
import dev.wharf.testing.PgpKeys;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

/** The registry protocols over HTTP, with real storage and real uploads, compared as whole JSON answers. */
abstract class TerraformApiScenarios {
    @TempDir
    Path dir;

    final ObjectMapper json = new ObjectMapper();
    final TerraformLayout layout = TerraformLayout.under("boring-registry");
    final HttpClient http = HttpClient.newHttpClient();
    CachingArtifactStore store;
    WebServer server;

    abstract ArtifactStore newStore();

    /** Where the backend keeps a blob's bytes, so a test can damage them behind Wharf's back. */
    abstract Path blobFile(String repository, Digest digest);

    /** Whether the backend reads a blob from a file, which can start anywhere: a Range is then answered with the part. */
    abstract boolean servesParts();

    @BeforeEach
    void start() {
        store = new CachingArtifactStore(newStore(), Duration.ofHours(1));
        // Every scenario runs with the ready answers in front: a repeat request must answer exactly
        // what the router would, through uploads and errors alike.
        ReadyAnswers ready = new ReadyAnswers(1L << 20);
        TerraformApi api = new TerraformApi(new ModuleService(store, layout), new ProviderService(store, layout, json),
                new ClientAuthentication(t -> false, false, Optional.empty()), Optional::empty,
                FileUrlSigner.withRandomKey(Duration.ofMinutes(5)), false, json, ready);
        server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), Optional.of(ready), RequestObserver.NONE, api::register);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void modulesAnswerVersionsAndDownloadsAndAnUploadShowsAtOnceDespiteTheCache() throws Exception {
        uploadModule("1.0.0");
        assertThat(get("/v1/modules/acme/vpc/aws/versions").body()).isEqualTo("{\"modules\":[{\"versions\":[{\"version\":\"1.0.0\"}]}]}");
        uploadModule("1.1.0+build.5");
        assertThat(json.readTree(get("/v1/modules/acme/vpc/aws/versions").body()))
                .isEqualTo(json.readTree("{\"modules\":[{\"versions\":[{\"version\":\"1.1.0+build.5\"},{\"version\":\"1.0.0\"}]}]}"));
        // The public registry's latest download: a redirect to the newest version's, which resolves against the request.
        HttpResponse<String> latest = get("/v1/modules/acme/vpc/aws/download");
        assertThat(latest.statusCode()).isEqualTo(302);
        assertThat(uri("/v1/modules/acme/vpc/aws/download").resolve(latest.headers().firstValue("Location").orElseThrow()))
                .isEqualTo(uri("/v1/modules/acme/vpc/aws/1.1.0+build.5/download"));
        assertError(get("/v1/modules/acme/nothing/aws/download"), 404, "module acme/nothing/aws not found");

        HttpResponse<String> download = get("/v1/modules/acme/vpc/aws/1.0.0/download");
        assertThat(download.statusCode()).isEqualTo(204);
        String location = download.headers().firstValue("X-Terraform-Get").orElseThrow();
        assertThat(location).startsWith("/v1/files/modules/acme/vpc/aws/1.0.0/acme-vpc-aws-1.0.0.tar.gz?archive=tar.gz&");

        HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(uri(location)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> body = http.send(HttpRequest.newBuilder(uri(location)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(body.body().length);
        assertThat(body.headers().firstValue("Content-Type")).hasValue("application/gzip");
        assertThat(body.body()[0] & 0xff).isEqualTo(0x1f);
    }

    /** As boring-registry's download proxy, whose URL names the archive's object: another name is a 404, not the archive. */
    @Test
    void aModuleFileUrlNamingAnotherFileIsNotFound() throws Exception {
        uploadModule("1.0.0");
        String location = get("/v1/modules/acme/vpc/aws/1.0.0/download").headers().firstValue("X-Terraform-Get").orElseThrow();
        String other = location.replace("/acme-vpc-aws-1.0.0.tar.gz?", "/anything.zip?");
        assertThat(other).isNotEqualTo(location);

        assertError(get(other), 404, "module acme/vpc/aws 1.0.0 has no file 'anything.zip'; its archive is acme-vpc-aws-1.0.0.tar.gz");
        HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(uri(other)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(uri(location)).build(), HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(200);
    }

    /** A cache in front revalidates its copy of a file by its entity tag, the blob's digest: 304, no body, no length. */
    @Test
    void aFileAskedWithItsOwnEntityTagIsNotModified() throws Exception {
        uploadModule("1.0.0");
        URI file = uri(get("/v1/modules/acme/vpc/aws/1.0.0/download").headers().firstValue("X-Terraform-Get").orElseThrow());
        HttpResponse<byte[]> whole = http.send(HttpRequest.newBuilder(file).build(), HttpResponse.BodyHandlers.ofByteArray());
        String tag = whole.headers().firstValue("ETag").orElseThrow();
        assertThat(tag).isEqualTo("\"" + Digest.sha256(whole.body()) + "\"");
        for (String ifNoneMatch : List.of(tag, "W/" + tag, "\"other\", " + tag, "*")) {
            for (String method : List.of("GET", "HEAD")) {
                HttpResponse<byte[]> current = http.send(HttpRequest.newBuilder(file).method(method, HttpRequest.BodyPublishers.noBody())
                        .header("If-None-Match", ifNoneMatch).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(current.statusCode()).as("%s %s", method, ifNoneMatch).isEqualTo(304);
                assertThat(current.headers().firstValue("ETag")).hasValue(tag);
                assertThat(current.body()).isEmpty();
                // Neither the 200's type nor a length of 0, which a 304 must not carry (RFC 9110 §8.6).
                assertThat(current.headers().firstValue("Content-Length")).isEmpty();
                assertThat(current.headers().firstValue("Content-Type")).isEmpty();
            }
        }
        HttpResponse<byte[]> changed = http.send(HttpRequest.newBuilder(file).header("If-None-Match", "\"sha256:0000\"").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo(whole.body());
    }

    /**
     * A client that means to act only on the copy it holds names it in If-Match: another file, or a
     * weak tag, which never matches it, is refused with 412 and no body (RFC 9110 §13.1.1); its own
     * tag or '*' gets the file.
     */
    @Test
    void aFileAskedWithAnotherEntityTagInIfMatchIsRefused() throws Exception {
        uploadModule("1.0.0");
        URI file = uri(get("/v1/modules/acme/vpc/aws/1.0.0/download").headers().firstValue("X-Terraform-Get").orElseThrow());
        HttpResponse<byte[]> whole = http.send(HttpRequest.newBuilder(file).build(), HttpResponse.BodyHandlers.ofByteArray());
        String tag = whole.headers().firstValue("ETag").orElseThrow();
        for (String ifMatch : List.of("\"sha256:0000\"", "W/" + tag)) {
            for (String method : List.of("GET", "HEAD")) {
                HttpResponse<byte[]> refused = http.send(HttpRequest.newBuilder(file).method(method, HttpRequest.BodyPublishers.noBody())
                        .header("If-Match", ifMatch).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(refused.statusCode()).as("%s %s", method, ifMatch).isEqualTo(412);
                assertThat(refused.headers().firstValue("ETag")).hasValue(tag);
                assertThat(refused.body()).isEmpty();
                assertThat(refused.headers().firstValue("Content-Type")).isEmpty();
            }
        }
        for (String ifMatch : List.of(tag, "\"sha256:0000\", " + tag, "*")) {
            HttpResponse<byte[]> served = http.send(HttpRequest.newBuilder(file).header("If-Match", ifMatch).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(served.statusCode()).as(ifMatch).isEqualTo(200);
            assertThat(served.body()).isEqualTo(whole.body());
        }
    }

    @Test
    void errorsComeInTheProtocolsFormWithTheRightStatus() throws Exception {
        uploadModule("1.0.0");
        assertError(get("/v1/modules/acme/nothing/aws/versions"), 404, "module acme/nothing/aws not found");
        assertError(get("/v1/modules/acme/vpc/aws/9.9.9/download"), 404, "module acme/vpc/aws has no version 9.9.9");
        assertError(get("/v1/modules/acme/vpc/aws/not-a-version/download"), 400, "not a semantic version");
        assertError(get("/v1/modules/-acme/vpc/aws/versions"), 400, "namespace '-acme' is malformed");
        assertError(get("/v1/providers/acme/nothing/versions"), 404, "provider acme/nothing not found");
        assertError(get("/v1/nowhere"), 404, "no such endpoint");
        // Refused by Jetty before any route, in the same form.
        assertError(get("/v1/modules/%ff/vpc/aws/versions"), 400, "400 Bad Request: Bad UTF-8 encoding");
        assertError(http.send(HttpRequest.newBuilder(uri("/v1/modules/acme/vpc/aws/versions")).header("X-Big", "a".repeat(20_000)).build(),
                HttpResponse.BodyHandlers.ofString()), 431, "431 Request Header Fields Too Large");
    }

    /** As boring-registry's http.ServeMux does: a path with an empty, '.' or '..' segment is sent to its clean form. */
    @Test
    void aPathThatIsNotCleanIsSentToItsCleanForm() throws Exception {
        uploadModule("1.0.0");
        Map<String, String> moved = new LinkedHashMap<>();
        moved.put("//v1/modules/acme/vpc/aws/versions", "/v1/modules/acme/vpc/aws/versions");
        moved.put("//.well-known/terraform.json?x=1&y=2", "/.well-known/terraform.json?x=1&y=2");
        moved.put("/v1/modules/acme/vpc/aws/./1.0.0/../1.0.0/download", "/v1/modules/acme/vpc/aws/1.0.0/download");
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        for (Map.Entry<String, String> m : moved.entrySet()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(asWritten(m.getKey())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(m.getKey()).isEqualTo(301);
            assertThat(r.headers().allValues("Location")).as(m.getKey()).containsExactly(m.getValue());
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(r.body()).isEqualTo("<a href=\"" + m.getValue().replace("&", "&amp;") + "\">Moved Permanently</a>.\n\n");
            HttpResponse<String> followed = following.send(HttpRequest.newBuilder(asWritten(m.getKey())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(followed.statusCode()).as(m.getKey()).isIn(200, 204);
        }
        // A PUT is not sent on: a client following a 301 would ask with GET.
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(asWritten("//v1/modules/acme/vpc/aws/versions"))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(404);
        assertThat(put.headers().firstValue("Location")).isEmpty();
    }

    /** {@code path} exactly as written: resolving "//v1/…" against the server would read "v1" as a host. */
    private URI asWritten(String path) {
        return URI.create(server.localUri().toString().replaceAll("/$", "") + path);
    }

    @Test
    void headSaysWhatGetWouldWithoutTheBodyAndOtherMethodsAreRefusedWithAllow() throws Exception {
        uploadModule("1.0.0");
        // Each asked twice: the second GET is a ready answer, HEAD always goes through the router.
        for (String path : List.of("/.well-known/terraform.json", "/v1/modules/acme/vpc/aws/versions", "/v1/modules/acme/vpc/aws/versions",
                "/v1/modules/acme/vpc/aws/1.0.0/download", "/v1/modules/acme/vpc/aws/9.9.9/download", "/v1/modules/acme/nothing/aws/versions",
                "/v1/modules/-acme/vpc/aws/versions", "/v1/providers/acme/nothing/versions")) {
            HttpResponse<String> get = get(path);
            HttpResponse<String> head = http.send(HttpRequest.newBuilder(uri(path)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(head.statusCode()).as(path).isEqualTo(get.statusCode());
            assertThat(head.body()).as(path).isEmpty();
            assertThat(head.headers().firstValue("Content-Type")).as(path).isEqualTo(get.headers().firstValue("Content-Type"));
            assertThat(head.headers().firstValueAsLong("Content-Length")).as(path)
                    .isEqualTo(get.statusCode() == 204 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(get.body().length()));
            assertThat(head.headers().firstValue("X-Terraform-Get").isPresent()).as(path).isEqualTo(get.headers().firstValue("X-Terraform-Get").isPresent());
        }
        for (String method : List.of("POST", "PUT", "DELETE")) {
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri("/v1/modules/acme/vpc/aws/versions"))
                    .method(method, HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertError(refused, 405, method + " is not allowed on /v1/modules/acme/vpc/aws/versions; allowed: GET, HEAD");
            assertThat(refused.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
        assertError(http.send(HttpRequest.newBuilder(uri("/v1/nowhere")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()), 404, "no such endpoint");
    }

    @Test
    void providersAnswerVersionsPlatformsAndSignedDownloads() throws Exception {
        PgpKeys key = PgpKeys.generate("test <t@wharf.invalid>");
        Path keyFile = Files.writeString(dir.resolve("key.asc"), key.armoredPublicKey());
        String keyId = signingKeys().add("acme", keyFile);
        Path sums = release("1.0.0", key, List.of("linux_amd64", "darwin_arm64"), false);
        providerUploader().upload("acme", sums, List.of(), false);

        assertThat(json.readTree(get("/v1/providers/acme/dummy/versions").body())).isEqualTo(json.readTree("""
                {"versions":[{"version":"1.0.0","protocols":["5.0"],"platforms":[
                  {"os":"darwin","arch":"arm64"},{"os":"linux","arch":"amd64"}]}]}"""));

        JsonNode download = json.readTree(get("/v1/providers/acme/dummy/1.0.0/download/linux/amd64").body());
        byte[] zip = Files.readAllBytes(sums.resolveSibling("terraform-provider-dummy_1.0.0_linux_amd64.zip"));
        assertThat(download.get("filename").asText()).isEqualTo("terraform-provider-dummy_1.0.0_linux_amd64.zip");
        assertThat(download.get("shasum").asText()).isEqualTo(Digest.sha256(zip).hex());
        assertThat(download.get("protocols")).isEqualTo(json.readTree("[\"5.0\"]"));
        assertThat(download.at("/signing_keys/gpg_public_keys/0/key_id").asText()).isEqualTo(keyId);
        assertThat(download.at("/signing_keys/gpg_public_keys/0/ascii_armor").asText()).isEqualTo(key.armoredPublicKey());
        assertThat(fetch(download.get("download_url").asText())).isEqualTo(zip);
        assertThat(fetch(download.get("shasums_url").asText())).isEqualTo(Files.readAllBytes(sums));
        assertThat(fetch(download.get("shasums_signature_url").asText()))
                .isEqualTo(Files.readAllBytes(sums.resolveSibling(sums.getFileName() + ".sig")));
        assertError(get("/v1/providers/acme/dummy/1.0.0/download/windows/amd64"), 404, "not available for windows_amd64");
    }

    @Test
    void aProviderZipOfManyBuffersStreamsWhole() throws Exception {
        PgpKeys key = PgpKeys.generate("test <t@wharf.invalid>");
        signingKeys().add("acme", Files.writeString(dir.resolve("key.asc"), key.armoredPublicKey()));
        Path sums = release("1.0.0", key, List.of("linux_amd64"), false, 3 << 20);
        providerUploader().upload("acme", sums, List.of(), false);
        byte[] zip = Files.readAllBytes(sums.resolveSibling("terraform-provider-dummy_1.0.0_linux_amd64.zip"));

        JsonNode download = json.readTree(get("/v1/providers/acme/dummy/1.0.0/download/linux/amd64").body());
        HttpResponse<byte[]> file = http.send(HttpRequest.newBuilder(uri(download.get("download_url").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValueAsLong("Content-Length")).hasValue(zip.length);
        assertThat(Digest.sha256(file.body())).isEqualTo(Digest.sha256(zip));
        HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(uri(download.get("download_url").asText()))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(zip.length);
        assertThat(head.body()).isEmpty();
    }

    /**
     * A Range of a file served from a file is answered with that part, checked as the whole is; from
     * a registry's stream, which cannot start anywhere, with the whole file, as a server may answer
     * any Range. Either way the client gets bytes it can trust.
     */
    @Test
    void aRangeOfAProviderZipIsAnsweredWithThePartWhereTheStoreCanStartAnywhere() throws Exception {
        PgpKeys key = PgpKeys.generate("test <t@wharf.invalid>");
        signingKeys().add("acme", Files.writeString(dir.resolve("key.asc"), key.armoredPublicKey()));
        Path sums = release("1.0.0", key, List.of("linux_amd64"), false, 200_000);
        providerUploader().upload("acme", sums, List.of(), false);
        byte[] zip = Files.readAllBytes(sums.resolveSibling("terraform-provider-dummy_1.0.0_linux_amd64.zip"));
        URI file = uri(json.readTree(get("/v1/providers/acme/dummy/1.0.0/download/linux/amd64").body()).get("download_url").asText());
        String tag = "\"" + Digest.sha256(zip) + "\"";

        HttpResponse<byte[]> part = ranged(file, "bytes=70000-140009", null);
        HttpResponse<byte[]> last = ranged(file, "bytes=-10", tag);
        HttpResponse<byte[]> past = ranged(file, "bytes=" + zip.length + "-", null);
        HttpResponse<byte[]> changed = ranged(file, "bytes=0-9", "\"sha256:0000\"");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo(zip);
        if (servesParts()) {
            assertThat(part.statusCode()).isEqualTo(206);
            assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 70000-140009/" + zip.length);
            assertThat(part.headers().firstValue("Accept-Ranges")).hasValue("bytes");
            assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(zip, 70000, 140010));
            assertThat(last.statusCode()).isEqualTo(206);
            assertThat(last.body()).isEqualTo(java.util.Arrays.copyOfRange(zip, zip.length - 10, zip.length));
            assertThat(past.statusCode()).isEqualTo(416);
            assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */" + zip.length);
            assertThat(past.headers().firstValue("ETag")).isEmpty();
            assertThat(past.body()).isEmpty();

            byte[] damaged = zip.clone();
            damaged[damaged.length - 30] ^= 0x5a;
            Files.write(blobFile(layout.providerRepository("acme", "dummy"), Digest.sha256(zip)), damaged);
            // The part lies before the damage, in one chunk: the rest is checked before it goes out.
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(file).header("Range", "bytes=0-9").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertError(refused, 502, "storage failed while reading the file");
        } else {
            for (HttpResponse<byte[]> whole : List.of(part, last, past)) {
                assertThat(whole.statusCode()).isEqualTo(200);
                assertThat(whole.headers().firstValue("Accept-Ranges")).isEmpty();
                assertThat(whole.body()).isEqualTo(zip);
            }
        }
    }

    /**
     * A HEAD says what the GET with the same Range says, a part's 206 from a file and the whole 200
     * from a registry's stream, with the same length and range, and no body (RFC 9110 §9.3.2).
     */
    @Test
    void aHeadWithARangeIsAnsweredAsTheGetWouldBe() throws Exception {
        uploadModule("1.0.0");
        URI file = uri(get("/v1/modules/acme/vpc/aws/1.0.0/download").headers().firstValue("X-Terraform-Get").orElseThrow());
        long size = ranged(file, "bytes=0-", null).body().length;
        for (String range : List.of("bytes=5-14", "bytes=-7", "bytes=" + size + "-", "bytes=0-")) {
            HttpResponse<byte[]> get = ranged(file, range, null);
            HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(file).header("Range", range)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(head.statusCode()).as(range).isEqualTo(get.statusCode())
                    .isEqualTo(!servesParts() ? 200 : range.startsWith("bytes=" + size) ? 416 : 206);
            for (String header : List.of("Content-Length", "Content-Range", "Accept-Ranges", "ETag", "Content-Type")) {
                assertThat(head.headers().firstValue(header)).as(range + ": " + header).isEqualTo(get.headers().firstValue(header));
            }
            assertThat(head.body()).isEmpty();
        }
    }

    private HttpResponse<byte[]> ranged(URI file, String range, @org.jspecify.annotations.Nullable String ifRange) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(file).header("Range", range);
        if (ifRange != null) {
            request.header("If-Range", ifRange);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aCorruptedProviderZipIsNeverServedWhole() throws Exception {
        PgpKeys key = PgpKeys.generate("test <t@wharf.invalid>");
        signingKeys().add("acme", Files.writeString(dir.resolve("key.asc"), key.armoredPublicKey()));
        for (int size : new int[] {100, 3 << 20}) {
            String version = "1.0." + size;
            Path sums = release(version, key, List.of("linux_amd64"), false, size);
            providerUploader().upload("acme", sums, List.of(), false);
            byte[] zip = Files.readAllBytes(sums.resolveSibling("terraform-provider-dummy_" + version + "_linux_amd64.zip"));
            // Same length, one byte changed near the end: only the digest can tell.
            Path blob = blobFile(layout.providerRepository("acme", "dummy"), Digest.sha256(zip));
            byte[] damaged = zip.clone();
            damaged[damaged.length - 30] ^= 0x5a;
            Files.write(blob, damaged);

            JsonNode download = json.readTree(get("/v1/providers/acme/dummy/" + version + "/download/linux/amd64").body());
            HttpRequest request = HttpRequest.newBuilder(uri(download.get("download_url").asText())).build();
            if (size < 1000) {
                // Checked before anything was sent: an error answer instead of the file, in general terms.
                HttpResponse<String> refused = http.send(request, HttpResponse.BodyHandlers.ofString());
                assertError(refused, 502, "storage failed while reading the file (request id "
                        + refused.headers().firstValue("X-Request-Id").orElseThrow() + ";");
            } else {
                // Already under way: the connection is cut before the last bytes.
                assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofByteArray()))
                        .as("a %d-byte blob whose content does not match its digest", size)
                        .isInstanceOf(java.io.IOException.class);
            }
        }
        // The server survives and goes on answering.
        assertThat(get("/v1/providers/acme/dummy/versions").statusCode()).isEqualTo(200);
    }

    @Test
    void providerUploadsCheckEverythingBeforePushingAnything() throws Exception {
        PgpKeys key = PgpKeys.generate("test <t@wharf.invalid>");
        Path sums = release("1.0.0", key, List.of("linux_amd64"), false);
        assertThatThrownBy(() -> providerUploader().upload("acme", sums, List.of(), false))
                .isInstanceOf(UploadException.class).hasMessageContaining("has no signing-keys.json");

        signingKeys().add("acme", Files.writeString(dir.resolve("key.asc"), PgpKeys.generate("other <o@x.invalid>").armoredPublicKey()));
        assertThatThrownBy(() -> providerUploader().upload("acme", sums, List.of(), false))
                .isInstanceOf(UploadException.class).hasMessageContaining("not among the namespace's signing keys");

        signingKeys().add("acme", Files.writeString(dir.resolve("key2.asc"), key.armoredPublicKey()));
        Files.write(sums.resolveSibling("terraform-provider-dummy_1.0.0_linux_amd64.zip"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> providerUploader().upload("acme", sums, List.of(), false))
                .isInstanceOf(UploadException.class).hasMessageContaining("does not match its SHA256SUMS entry");

        Path withDirectory = release("2.0.0", key, List.of("linux_amd64"), true);
        assertThatThrownBy(() -> providerUploader().upload("acme", withDirectory, List.of(), false))
                .isInstanceOf(UploadException.class).hasMessageContaining("directory entry");

        assertThat(store.listTags(layout.providerRepository("acme", "dummy"))).isEmpty();

        Path good = release("3.0.0", key, List.of("linux_amd64"), false);
        assertThat(providerUploader().upload("acme", good, List.of(), false)).isTrue();
        assertThatThrownBy(() -> providerUploader().upload("acme", good, List.of(), false))
                .isInstanceOf(UploadException.class).hasMessageContaining("already exists");
        assertThat(providerUploader().upload("acme", good, List.of(), true)).isFalse();
    }

    @Test
    void anExistingModuleVersionIsNeverOverwritten() throws Exception {
        uploadModule("1.0.0");
        ModuleUploader refusing = moduleUploader(false);
        assertThatThrownBy(() -> refusing.upload(moduleDir("1.0.0"))).isInstanceOf(UploadException.class)
                .hasMessageContaining("already exists");
        assertThat(moduleUploader(true).upload(moduleDir("1.0.0")).get(0).outcome()).isEqualTo(ModuleUploader.Outcome.EXISTS);
    }

    void uploadModule(String version) throws Exception {
        moduleUploader(false).upload(moduleDir(version));
    }

    ModuleUploader moduleUploader(boolean ignoreExisting) {
        return new ModuleUploader(store, layout, new ModuleUploader.Options(true, ignoreExisting, Optional.empty(), Optional.empty(),
                Optional.empty(), ExcludePatterns.none(), ArchiveFormat.TAR_GZ), m -> { });
    }

    Path moduleDir(String version) throws Exception {
        Path m = Files.createDirectories(dir.resolve("modules").resolve(version));
        Files.writeString(m.resolve("boring-registry.hcl"),
                "metadata {\n namespace = \"acme\"\n name = \"vpc\"\n provider = \"aws\"\n version = \"" + version + "\"\n}\n");
        Files.writeString(m.resolve("main.tf"), "output \"v\" { value = \"" + version + "\" }\n");
        return m;
    }

    ProviderUploader providerUploader() {
        return new ProviderUploader(store, layout, new ProviderService(store, layout, json), json, new ZipInspector(ArchiveLimits.DEFAULT), m -> { });
    }

    SigningKeyUploader signingKeys() {
        return new SigningKeyUploader(store, layout, new ProviderService(store, layout, json), json);
    }

    Path release(String version, PgpKeys key, List<String> platforms, boolean directoryEntry) throws Exception {
        return release(version, key, platforms, directoryEntry, 0);
    }

    /** A signed release; with {@code payload} > 0 each zip also stores that many random bytes. */
    Path release(String version, PgpKeys key, List<String> platforms, boolean directoryEntry, int payload) throws Exception {
        Path releaseDir = Files.createDirectories(dir.resolve("release-" + version));
        StringBuilder sums = new StringBuilder();
        for (String platform : platforms) {
            String name = "terraform-provider-dummy_" + version + "_" + platform + ".zip";
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                if (directoryEntry) {
                    zip.putNextEntry(new ZipEntry("docs/"));
                    zip.closeEntry();
                }
                zip.putNextEntry(new ZipEntry("terraform-provider-dummy_v" + version));
                zip.write(("#!/bin/sh\necho " + platform + "\n").getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
                if (payload > 0) {
                    byte[] random = new byte[payload];
                    new java.util.Random(payload).nextBytes(random);
                    zip.putNextEntry(new ZipEntry("payload.bin"));
                    zip.write(random);
                    zip.closeEntry();
                }
            }
            Files.write(releaseDir.resolve(name), out.toByteArray());
            sums.append(Digest.sha256(out.toByteArray()).hex()).append("  ").append(name).append('\n');
        }
        Path sumsFile = releaseDir.resolve("terraform-provider-dummy_" + version + "_SHA256SUMS");
        Files.writeString(sumsFile, sums);
        Files.write(releaseDir.resolve(sumsFile.getFileName() + ".sig"), key.detachedSignature(Files.readAllBytes(sumsFile)));
        return sumsFile;
    }

    URI uri(String path) {
        return server.localUri().resolve(path);
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    byte[] fetch(String path) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    void assertError(HttpResponse<String> response, int status, String message) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode errors = json.readTree(response.body()).get("errors");
        assertThat(errors.size()).isEqualTo(1);
        assertThat(errors.get(0).asText()).contains(message);
    }
}
