package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.RequiredTool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** skopeo (containers/image) as an independent second client: it reads what Wharf pushes, Wharf reads what it pushes. */
class RegistrySkopeoInteropTest {
    private static final String TYPE = "application/vnd.wharf.interop.v1";
    private static Path dir;
    private static DockerRegistryServer registry;
    private static Path skopeo;
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws IOException {
        skopeo = RequiredTool.require("skopeo", "skopeo");
        dir = Files.createTempDirectory("wharf-registry-skopeo");
        registry = DockerRegistryServer.anonymous(dir);
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        TestFiles.deleteQuietly(dir);
    }

    private String skopeo(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(skopeo.toString(), "--insecure-policy"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "skopeo", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("HOME", tmp.toString());
        Process process = builder.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String output = Files.readString(out);
        assertThat(process.exitValue()).as("skopeo " + String.join(" ", args) + ":\n" + output).isZero();
        return output;
    }

    private static RegistryArtifactStore store() {
        return RegistryTestStores.anonymous("http://" + registry.host());
    }

    @Test
    void skopeoReadsWhatWharfPushes() throws Exception {
        Path file = Files.writeString(tmp.resolve("module.tar.gz"), "pretend module archive");
        Manifest pushed = store().push("interop/from-wharf", "1.2.3", new Artifact(TYPE, List.of(
                Layer.file("application/vnd.wharf.archive", "module.tar.gz", BlobSource.ofFile(file)),
                Layer.file("text/plain", "README", BlobSource.ofBytes("read me".getBytes(StandardCharsets.UTF_8)))),
                Map.of("org.opencontainers.image.version", "1.2.3")), false);

        String raw = skopeo("inspect", "--tls-verify=false", "--raw", "docker://" + registry.host() + "/interop/from-wharf:1.2.3");
        assertThat(Digest.sha256(raw.getBytes(StandardCharsets.UTF_8))).isEqualTo(pushed.digest());
        JsonNode manifest = json.readTree(raw);
        assertThat(manifest.get("artifactType").asText()).isEqualTo(TYPE);
        assertThat(manifest.get("layers").get(0).get("annotations").get(Descriptor.TITLE).asText()).isEqualTo("module.tar.gz");

        String tags = skopeo("list-tags", "--tls-verify=false", "docker://" + registry.host() + "/interop/from-wharf");
        assertThat(json.readTree(tags).get("Tags")).extracting(JsonNode::asText).containsExactly("1.2.3");

        Path layout = tmp.resolve("layout");
        skopeo("copy", "--src-tls-verify=false", "docker://" + registry.host() + "/interop/from-wharf:1.2.3", "oci:" + layout + ":copied");
        for (Descriptor layer : pushed.layers()) {
            assertThat(layout.resolve("blobs/sha256/" + layer.digest().hex())).exists();
        }
        assertThat(Files.readString(layout.resolve("blobs/sha256/" + pushed.layers().get(0).digest().hex())))
                .isEqualTo("pretend module archive");
        JsonNode index = json.readTree(layout.resolve("index.json").toFile());
        assertThat(index.get("manifests").get(0).get("digest").asText()).isEqualTo(pushed.digest().toString());
    }

    @Test
    void wharfReadsWhatSkopeoPushesFromAnOciLayout() throws Exception {
        // An OCI image layout written by hand (not by Wharf), holding one artifact.
        Path layout = Files.createDirectories(tmp.resolve("handmade"));
        Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
        byte[] content = "provider binary, pretend".getBytes(StandardCharsets.UTF_8);
        byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
        Files.write(blobs.resolve(Digest.sha256(content).hex()), content);
        Files.write(blobs.resolve(Digest.sha256(config).hex()), config);
        String manifestJson = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"artifactType\":\"" + TYPE + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + Digest.sha256(config)
                + "\",\"size\":2},"
                + "\"layers\":[{\"mediaType\":\"application/zip\",\"digest\":\"" + Digest.sha256(content) + "\",\"size\":"
                + content.length + ",\"annotations\":{\"org.opencontainers.image.title\":\"provider.zip\"}}],"
                + "\"annotations\":{\"org.example.origin\":\"skopeo\"}}";
        byte[] manifestBytes = manifestJson.getBytes(StandardCharsets.UTF_8);
        Digest manifestDigest = Digest.sha256(manifestBytes);
        Files.write(blobs.resolve(manifestDigest.hex()), manifestBytes);
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + manifestDigest + "\",\"size\":"
                + manifestBytes.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"2.0.0\"}}]}");

        skopeo("copy", "--dest-tls-verify=false", "oci:" + layout + ":2.0.0", "docker://" + registry.host() + "/interop/from-skopeo:2.0.0");

        RegistryArtifactStore store = store();
        assertThat(store.listTags("interop/from-skopeo")).containsExactly("2.0.0");
        assertThat(store.exists("interop/from-skopeo", "2.0.0")).isTrue();
        Manifest resolved = store.resolve("interop/from-skopeo", "2.0.0").orElseThrow();
        assertThat(resolved.digest()).isEqualTo(manifestDigest);
        assertThat(resolved.artifactType()).isEqualTo(TYPE);
        assertThat(resolved.annotations()).containsEntry("org.example.origin", "skopeo");
        assertThat(resolved.layers().get(0).title()).contains("provider.zip");
        try (InputStream in = store.openBlob("interop/from-skopeo", resolved.layers().get(0).digest())) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }
}
