package dev.wharf.oci.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ArtifactStoreContract;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ImageLayoutStoreTest extends ArtifactStoreContract {
    private ImageLayoutStore store;

    @BeforeEach
    void open() {
        store = new ImageLayoutStore(scratch.resolve("data"));
    }

    @Override
    protected ArtifactStore store() {
        return store;
    }

    @Override
    protected Path blobFile(String repository, Digest digest) {
        return scratch.resolve("data").resolve(repository).resolve("blobs/" + digest.algorithm() + "/" + digest.hex());
    }

    @Test
    void writesAStandardLayoutPerRepository() throws IOException {
        store.push("acme/vpc", "1.0.0", textArtifact("vpc.tar.gz", "module"), false);
        Path layout = scratch.resolve("data/acme/vpc");
        JsonNode marker = new ObjectMapper().readTree(layout.resolve("oci-layout").toFile());
        assertThat(marker.get("imageLayoutVersion").asText()).isEqualTo("1.0.0");
        JsonNode index = new ObjectMapper().readTree(layout.resolve("index.json").toFile());
        assertThat(index.get("schemaVersion").asInt()).isEqualTo(2);
        JsonNode entry = index.get("manifests").get(0);
        assertThat(entry.get("mediaType").asText()).isEqualTo(Manifest.OCI_IMAGE_MANIFEST);
        assertThat(entry.get("annotations").get("org.opencontainers.image.ref.name").asText()).isEqualTo("1.0.0");
        String hex = entry.get("digest").asText().substring("sha256:".length());
        assertThat(layout.resolve("blobs/sha256/" + hex)).exists();
        assertThat(layout.resolve("blobs/sha256/44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"))
                .as("the empty config blob {} is stored").hasContent("{}");
    }

    @Test
    void twoStoresOnOneDirectoryLoseNothing() throws Exception {
        // Two instances stand in for two processes (a server and an upload command).
        ImageLayoutStore other = new ImageLayoutStore(scratch.resolve("data"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                ImageLayoutStore writer = t % 2 == 0 ? store : other;
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        writer.push("shared/repo", "w" + thread + "-" + i, textArtifact("f", "c" + thread + i), false);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.listTags("shared/repo")).hasSize(40);
        assertThat(other.listTags("shared/repo")).hasSize(40);
    }

    /** A blob emptied or cut short (a crash before its bytes reached the disk) is written again by the push that brings it. */
    @Test
    void aBlobCutShortIsMendedByPushingItAgain() throws IOException {
        Manifest manifest = store.push("acme/mended", "1", textArtifact("f", "the content of the layer"), false);
        Digest digest = manifest.layers().get(0).digest();
        Path blob = scratch.resolve("data/acme/mended/blobs/sha256/" + digest.hex());
        Files.write(blob, new byte[0]);

        store.push("acme/mended", "2", textArtifact("f", "the content of the layer"), false);
        try (InputStream in = store.openBlob("acme/mended", digest)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("the content of the layer");
        }
    }

    @Test
    void aCorruptedBlobFailsAtTheEndOfTheStream() throws IOException {
        Manifest manifest = store.push("acme/corrupt", "1", textArtifact("f", "original content"), false);
        Path blob = scratch.resolve("data/acme/corrupt/blobs/sha256/" + manifest.layers().get(0).digest().hex());
        Files.writeString(blob, "tampered content");
        assertThatThrownBy(() -> {
            try (InputStream in = store.openBlob("acme/corrupt", manifest.layers().get(0).digest())) {
                in.readAllBytes();
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("does not match its digest");
    }

    @Test
    void aBrokenIndexIsReportedNotIgnored() throws IOException {
        store.push("acme/broken", "1", textArtifact("f", "x"), false);
        Files.writeString(scratch.resolve("data/acme/broken/index.json"), "{not json", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> store.listTags("acme/broken")).hasMessageContaining("cannot read index.json");
        // Well-formed JSON, but an entry another tool wrote with a digest Wharf cannot read.
        for (String digest : new String[] {"x", "sha384:" + "0".repeat(96), ""}) {
            Files.writeString(scratch.resolve("data/acme/broken/index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"digest\":\""
                    + digest + "\",\"annotations\":{\"org.opencontainers.image.ref.name\":\"1\"}}]}", StandardCharsets.UTF_8);
            assertThatThrownBy(() -> store.listTags("acme/broken")).as(digest).isInstanceOfSatisfying(dev.wharf.oci.StorageException.class,
                    e -> assertThat(e.kind()).isEqualTo(dev.wharf.oci.StorageException.Kind.CORRUPT))
                    .hasMessageContaining("cannot read index.json").hasMessageContaining("digest");
        }
    }

    @Test
    void aFileWhereTheRootShouldBeIsAnErrorNotAnEmptyStore() throws IOException {
        Files.writeString(scratch.resolve("not-a-folder"), "x");
        ImageLayoutStore broken = new ImageLayoutStore(scratch.resolve("not-a-folder"));
        assertThatThrownBy(() -> broken.listTags("acme/vpc")).isInstanceOf(dev.wharf.oci.StorageException.class)
                .hasMessageContaining("not-a-folder");
    }
}
