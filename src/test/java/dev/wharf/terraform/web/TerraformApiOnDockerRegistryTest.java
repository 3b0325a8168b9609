package dev.wharf.terraform.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.WebServer;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Digest;
import dev.wharf.oci.ForwardingArtifactStore;
import dev.wharf.oci.cache.DiskBlobCache;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.terraform.cache.CachingArtifactStore;
import dev.wharf.terraform.StoredFile;
import dev.wharf.terraform.module.ModuleAddress;
import dev.wharf.terraform.module.ModuleService;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.LogCapture;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TerraformApiOnDockerRegistryTest extends TerraformFileScenarios {
    DockerRegistryServer registry;

    @Override
    ArtifactStore newStore() {
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        return new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty()));
    }

    @Override
    Path blobFile(String repository, Digest digest) {
        return registry.storageDir().resolve("docker/registry/v2/blobs/" + digest.algorithm() + "/" + digest.hex().substring(0, 2) + "/"
                + digest.hex() + "/data");
    }

    @Override
    boolean servesParts() {
        return false;
    }

    @AfterEach
    void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    /**
     * Behind the download cache, a HEAD with a Range says what the GET would without opening the blob:
     * the whole file (200, no Accept-Ranges) while the registry's stream would be sent, the part once
     * the cache holds the blob as a file.
     */
    @Test
    void behindTheDownloadCacheAHeadWithARangeAnswersAsTheGetWouldWithoutOpeningTheBlob() throws Exception {
        uploadModule("1.0.0");
        List<String> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
        ArtifactStore counted = new ForwardingArtifactStore(store) {
            @Override
            public ChunkSource readBlob(String repository, Digest digest) {
                opened.add(digest.toString());
                return super.readBlob(repository, digest);
            }

            @Override
            public ChunkSource readBlob(String repository, Descriptor blob) {
                opened.add(blob.digest().toString());
                return super.readBlob(repository, blob);
            }
        };
        DiskBlobCache cache = new DiskBlobCache(counted, dir.resolve("download-cache"), 1L << 30);
        TerraformApi api = new TerraformApi(new ModuleService(cache, layout), new ProviderService(cache, layout, json),
                StaticTokens.of(List.of()), FileUrlSigner.withRandomKey(Duration.ofMinutes(5)), true, json);
        try (WebServer proxying = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), api::register)) {
            java.net.URI file = proxying.localUri().resolve(http.send(HttpRequest.newBuilder(proxying.localUri().resolve(
                    "/v1/modules/acme/vpc/aws/1.0.0/download")).build(), HttpResponse.BodyHandlers.ofString())
                    .headers().firstValue("X-Terraform-Get").orElseThrow());
            HttpRequest head = HttpRequest.newBuilder(file).header("Range", "bytes=2-5").method("HEAD", HttpRequest.BodyPublishers.noBody()).build();

            HttpResponse<Void> streamed = http.send(head, HttpResponse.BodyHandlers.discarding());
            assertThat(streamed.statusCode()).isEqualTo(200);
            assertThat(streamed.headers().firstValue("Accept-Ranges")).isEmpty();
            assertThat(streamed.headers().firstValue("Content-Range")).isEmpty();
            assertThat(opened).as("blobs opened for a HEAD").isEmpty();

            // A first copy keeps the blob, read here to its end so that it is kept before the next request.
            StoredFile archive = new ModuleService(cache, layout).archive(new ModuleAddress("acme", "vpc", "aws"), "1.0.0");
            java.io.ByteArrayOutputStream copy = new java.io.ByteArrayOutputStream();
            cache.readBlob(archive.repository(), archive.layer()).drainTo(chunk -> {
                byte[] bytes = new byte[chunk.remaining()];
                chunk.get(bytes);
                copy.write(bytes);
            });
            byte[] whole = copy.toByteArray();
            opened.clear();
            HttpResponse<Void> kept = http.send(head, HttpResponse.BodyHandlers.discarding());
            assertThat(kept.statusCode()).isEqualTo(206);
            assertThat(kept.headers().firstValue("Content-Range")).hasValue("bytes 2-5/" + whole.length);
            assertThat(kept.headers().firstValueAsLong("Content-Length")).hasValue(4);
            assertThat(kept.headers().firstValue("Accept-Ranges")).hasValue("bytes");
            assertThat(opened).as("blobs opened for a HEAD").isEmpty();
            HttpResponse<byte[]> part = http.send(HttpRequest.newBuilder(file).header("Range", "bytes=2-5").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(part.statusCode()).isEqualTo(206);
            assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(whole, 2, 6));
        }
    }

    @Test
    void aRegistryThatIsDownGives503InGeneralTermsWithARequestIdAndNeitherAddressNorStackTrace() throws Exception {
        registry.stop();
        CachingArtifactStore down = new CachingArtifactStore(new RegistryArtifactStore(new RegistrySettings(registry.url(), false,
                Optional.empty())), Duration.ZERO);
        TerraformApi api = new TerraformApi(new ModuleService(down, layout), new ProviderService(down, layout, json),
                StaticTokens.of(List.of()), FileUrlSigner.withRandomKey(Duration.ofMinutes(5)), false, json);
        try (WebServer other = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), api::register);
                LogCapture log = LogCapture.of("dev.wharf.terraform.web")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(other.localUri().resolve("/v1/modules/acme/vpc/aws/versions")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            // What failed in general terms and where the detail is; never the registry's address.
            String id = response.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(response.body()).isEqualTo("{\"errors\":[\"storage is unreachable (request id " + id
                    + "; the server log has the details)\"]}");
            assertThat(response.body()).doesNotContain(registry.host()).doesNotContain("127.0.0.1");
            assertThat(log.lines(Level.WARN)).singleElement().asString().contains("request " + id).contains(registry.host())
                    .contains("check that the registry is running");
        }
    }
}
