package dev.wharf.terraform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.oci.Digest;
import dev.wharf.testing.PgpKeys;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scenarios of the file downloads the API hands out (module archives, provider zips), on each
 * backend: conditional requests, ranges and HEAD, large and damaged blobs.
 */
abstract class TerraformFileScenarios extends TerraformHttpScenarios {
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
}
