package dev.wharf.terraform.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.ManifestCodec;
import dev.wharf.oci.ScratchFolder;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.StorageException.Kind;
import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.oci.registry.RetryPolicy;
import dev.wharf.terraform.StoredFile;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.testing.ChunkBytes;
import dev.wharf.testing.DockerRegistryServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A module file whose manifest gives a size that is not its blob's length, stored in the real
 * docker-registry (which takes it): the file routes announce that size as the Content-Length, so
 * reading the file fails, naming registry, repository and digest, instead of handing out a body that
 * differs from it (600 for 404 bytes had been a download cut short with nothing logged).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModuleFileSizeTest {
    private static final String REPO = "sizes/app";

    private Path dir;
    private DockerRegistryServer registry;
    private RegistryArtifactStore store;
    private ModuleService modules;
    private Descriptor layer;
    private byte[] content;

    @BeforeAll
    void pushABlob() throws IOException {
        dir = Files.createTempDirectory("registry-sizes-");
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        store = new RegistryArtifactStore(new RegistrySettings("http://" + registry.host(), false, Optional.empty()),
                CredentialSource.fixed(new Credentials.Anonymous(), "test"), RetryPolicy.none(), null);
        modules = new ModuleService(store, TerraformLayout.under("modules"));
        content = new byte[404];
        new Random(3).nextBytes(content);
        Manifest pushed = store.push(REPO, "true-size", Artifact.single("application/vnd.wharf.test.v1",
                Layer.file("application/octet-stream", "f.bin", BlobSource.ofBytes(content))), false);
        layer = pushed.layers().get(0);
    }

    @AfterAll
    void stop() {
        store.close();
        registry.close();
        ScratchFolder.deleteTree(dir);
    }

    /** Stores under {@code tag} a manifest whose only layer is the pushed blob, said to be {@code size} bytes. */
    private Descriptor tagWithSize(String tag, long size) throws IOException, InterruptedException {
        Descriptor said = new Descriptor(layer.mediaType(), layer.digest(), size, layer.annotations());
        byte[] manifest = new ManifestCodec().encode("application/vnd.wharf.test.v1", List.of(said), Map.of());
        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://" + registry.host() + "/v2/" + REPO + "/manifests/" + tag))
                .header("Content-Type", Manifest.OCI_IMAGE_MANIFEST).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
        return store.resolve(REPO, tag).orElseThrow().layers().get(0);
    }

    private static StoredFile file(Descriptor layer) {
        return new StoredFile(REPO, layer, "f.bin", "application/octet-stream");
    }

    private void failsNamingTheBlob(Throwable e, long size) {
        assertThat(e).isInstanceOf(IOException.class);
        assertThat(e.getMessage()).contains(registry.host(), REPO, layer.digest().toString(), "gives its size as " + size);
    }

    /** The registry's Content-Length is known before the first byte: refused then, a storage failure, not a cut stream. */
    private void refusedBeforeAnyByte(Throwable e, long size) {
        assertThat(e).isInstanceOfSatisfying(StorageException.class, s -> assertThat(s.kind()).isEqualTo(Kind.CORRUPT));
        assertThat(e.getMessage()).contains(registry.host(), REPO, layer.digest().toString(), "is 404 bytes as the storage announces it",
                "gives its size as " + size, "nothing of it was sent");
    }

    @Test
    void theTrueSizeReadsWhole() throws IOException {
        try (InputStream in = modules.open(file(layer))) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        assertThat(ChunkBytes.readAll(modules.read(file(layer)))).isEqualTo(content);
    }

    @Test
    void aSizeLargerThanTheBlobFailsBeforeAnyChunkOrAtTheEndOfAStream() throws Exception {
        Descriptor said = tagWithSize("too-large", 600);
        assertThat(said.size()).isEqualTo(600);
        assertThatThrownBy(() -> modules.read(file(said))).satisfies(e -> refusedBeforeAnyByte(e, 600));
        assertThatThrownBy(() -> {
            try (InputStream in = modules.open(file(said))) {
                in.readAllBytes();
            }
        }).satisfies(e -> failsNamingTheBlob(e, 600));
    }

    @Test
    void aSizeSmallerThanTheBlobFailsBeforeTheBytesPastIt() throws Exception {
        Descriptor said = tagWithSize("too-small", 300);
        assertThatThrownBy(() -> modules.read(file(said))).satisfies(e -> refusedBeforeAnyByte(e, 300));
        try (InputStream in = modules.open(file(said))) {
            byte[] first = in.readNBytes(300);
            assertThat(ByteBuffer.wrap(first)).isEqualTo(ByteBuffer.wrap(content, 0, 300));
            assertThatThrownBy(in::read).satisfies(e -> failsNamingTheBlob(e, 300));
        }
    }

    @Test
    void aNegativeSizeIsNotAManifest() throws Exception {
        assertThatThrownBy(() -> tagWithSize("negative", -5)).isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.PROTOCOL);
            assertThat(e.getMessage()).contains(registry.host(), REPO, "negative size (-5)");
        });
    }
}
