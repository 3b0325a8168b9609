package dev.wharf.terraform.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.WebServer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.terraform.layout.ArchiveFormat;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.module.ModuleService;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.terraform.upload.ExcludePatterns;
import dev.wharf.terraform.upload.ModuleUploader;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.LogCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module archive whose manifest gives a size the registry's blob does not have (the registry answers
 * its own Content-Length): the file route had announced the manifest's size, sent the blob's bytes and
 * cut the connection, a download that every client saw broken with nothing to say why. The registry's
 * length is known before the first byte, so the client gets an error answer in general terms, and the
 * log one line naming the blob.
 */
class ModuleFileOfWrongSizeTest {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aManifestSizeLargerThanTheRegistrysBlobIsAnErrorAnswerNotACutDownload() throws Exception {
        TerraformLayout layout = TerraformLayout.under("boring-registry");
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
                RegistryArtifactStore store = new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty()))) {
            Path module = Files.createDirectories(dir.resolve("module"));
            Files.writeString(module.resolve("boring-registry.hcl"),
                    "metadata {\n namespace = \"acme\"\n name = \"vpc\"\n provider = \"aws\"\n version = \"1.0.0\"\n}\n");
            Files.writeString(module.resolve("main.tf"), "output \"v\" { value = \"1\" }\n");
            new ModuleUploader(store, layout, new ModuleUploader.Options(true, false, Optional.empty(), Optional.empty(),
                    Optional.empty(), ExcludePatterns.none(), ArchiveFormat.TAR_GZ), m -> { }).upload(module);
            String digest = growFirstLayer(registry, layout.moduleRepository("acme", "vpc", "aws"),
                    layout.moduleTag("acme", "vpc", "aws", "1.0.0"), 100);

            TerraformApi api = new TerraformApi(new ModuleService(store, layout), new ProviderService(store, layout, json),
                    StaticTokens.of(List.of()), FileUrlSigner.withRandomKey(Duration.ofMinutes(5)), false, json);
            try (WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), api::register);
                    LogCapture log = LogCapture.of("dev.wharf")) {
                HttpResponse<String> download = http.send(HttpRequest.newBuilder(server.localUri().resolve("/v1/modules/acme/vpc/aws/1.0.0/download"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                URI file = server.localUri().resolve(download.headers().firstValue("X-Terraform-Get").orElseThrow());

                // On the old code this send failed: the body ended 100 bytes before its Content-Length.
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(file).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(502);
                assertThat(answer.body()).contains("stored content is unreadable or failed its integrity check")
                        .doesNotContain(registry.host());
                assertThat(log.lines(Level.WARN)).singleElement().asString().contains(digest, "gives its size as");
            }
        }
    }

    /** Rewrites the manifest under {@code tag} so its first layer says it is {@code more} bytes longer; the layer's digest. */
    private String growFirstLayer(DockerRegistryServer registry, String repository, String tag, int more) throws Exception {
        URI uri = URI.create(registry.url() + "/v2/" + repository + "/manifests/" + tag);
        HttpResponse<String> got = http.send(HttpRequest.newBuilder(uri).header("Accept", Manifest.OCI_IMAGE_MANIFEST).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
        ObjectNode manifest = (ObjectNode) json.readTree(got.body());
        ObjectNode layer = (ObjectNode) manifest.get("layers").get(0);
        layer.put("size", layer.get("size").asLong() + more);
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(uri).header("Content-Type", Manifest.OCI_IMAGE_MANIFEST)
                .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(manifest))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        return layer.get("digest").asText();
    }
}
