package dev.wharf.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestReadingTest {
    private static final String ZIP = "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
    private static final int FOUR_MIB = 4 * 1024 * 1024;

    private final ManifestCodec codec = new ManifestCodec();

    @Test
    void aManifestOfFourMebibytesOfEmptyLayersIsRefusedWithoutBuildingThem() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeThat(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()).isTrue();
        StringBuilder json = new StringBuilder(FOUR_MIB).append("{\"layers\":[{}");
        while (json.length() < FOUR_MIB - 10) {
            json.append(",{}");
        }
        byte[] bytes = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(bytes);

        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        assertThatThrownBy(() -> codec.decode(digest, bytes, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("descriptor without digest or size");
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        // A tree of these bytes took about 134 MB (a node and a map per {}); reading them as tokens
        // takes well under 1 MB. 16 MiB leaves a wide margin either way.
        assertThat(allocated).as("bytes allocated reading a 4 MiB manifest of empty layers").isLessThan(16L * 1024 * 1024);
    }

    @Test
    void aValidManifestOfMoreLayersThanTheBoundIsRefusedAtTheFirstOnePastItUnread() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeThat(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()).isTrue();
        String layer = "{\"mediaType\":\"application/zip\",\"digest\":\"" + ZIP + "\",\"size\":3}";
        StringBuilder json = new StringBuilder(FOUR_MIB).append("{\"schemaVersion\":2,\"layers\":[").append(layer);
        int layers = 1;
        while (json.length() < FOUR_MIB - layer.length() - 10) {
            json.append(',').append(layer);
            layers++;
        }
        byte[] bytes = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        assertThat(layers).as("layers in a 4 MiB manifest").isGreaterThan(30_000);
        Digest digest = Digest.sha256(bytes);

        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        assertThatThrownBy(() -> codec.decode(digest, bytes, null)).isInstanceOf(TooManyLayersException.class)
                .hasMessage("it lists more than 1000 layers, more than any artifact Wharf reads has (its own have one or two)");
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        // Kept whole, the descriptors took about 21 MB; a thousand of them take well under 1 MB.
        assertThat(allocated).as("bytes allocated refusing a 4 MiB manifest of valid layers").isLessThan(4L * 1024 * 1024);
    }

    @Test
    void aManifestOfAsManyLayersAsTheBoundIsReadAndNoArtifactOfMoreIsPushed() {
        String layer = "{\"digest\":\"" + ZIP + "\",\"size\":3}";
        String thousand = String.join(",", java.util.Collections.nCopies(ManifestReader.MAX_LAYERS, layer));
        assertThat(decode("{\"layers\":[" + thousand + "]}").layers()).hasSize(1000);
        assertThatThrownBy(() -> decode("{\"layers\":[" + thousand + "," + layer + "]}")).isInstanceOf(TooManyLayersException.class);

        java.util.List<Layer> many = java.util.Collections.nCopies(1001, Layer.file("text/plain", "f", BlobSource.ofBytes(new byte[] {1})));
        assertThatThrownBy(() -> new Artifact("application/vnd.wharf.test", many, java.util.Map.of()))
                .hasMessage("an artifact of 1001 layers would not be read back: at most 1000 are read");
    }

    @Test
    void aSyntaxErrorAfterABadLayerIsStillTheRefusal() {
        assertThatThrownBy(() -> decode("{\"layers\":[{}],\"x\":tru}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a JSON manifest: Unrecognized token 'tru'");
    }

    @Test
    void anIndexIsRefusedAsSuchWhereverItsManifestsArrayIs() {
        assertThatThrownBy(() -> decode("{\"layers\":[{}],\"manifests\":[]}"))
                .hasMessage("an image index (multi-platform image), not an artifact manifest");
        assertThatThrownBy(() -> decode("{\"layers\":5,\"manifests\":null}"))
                .hasMessage("an image index (multi-platform image), not an artifact manifest");
    }

    @Test
    void aBadLayerIsRefusedBeforeABadConfigAndARepeatedKeyCountsByItsLastValue() {
        assertThatThrownBy(() -> decode("{\"config\":{\"digest\":\"bad\",\"size\":1},\"layers\":[{\"digest\":\"" + ZIP + "\",\"size\":-2}]}"))
                .hasMessage("descriptor of " + ZIP + " with a negative size (-2)");
        assertThatThrownBy(() -> decode("{\"config\":{\"digest\":\"bad\",\"size\":1},\"layers\":[]}"))
                .hasMessage("not a valid digest: bad");
        assertThatThrownBy(() -> decode("{\"layers\":[],\"layers\":{}}")).hasMessage("manifest has no layers array");
        assertThatThrownBy(() -> decode("[]")).hasMessage("not a JSON manifest object");

        Manifest lastWins = decode("{\"layers\":[{}],\"layers\":[{\"digest\":\"bad\",\"digest\":\"" + ZIP + "\",\"size\":\"3\",\"size\":3}]}");
        assertThat(lastWins.layers()).singleElement().satisfies(layer -> {
            assertThat(layer.digest()).isEqualTo(Digest.parse(ZIP));
            assertThat(layer.size()).isEqualTo(3);
        });
    }

    @Test
    void valuesAreTakenAsTheTreeReadingTookThem() {
        Manifest manifest = decode("{\"mediaType\":7,\"artifactType\":{},\"annotations\":{\"n\":null,\"b\":true,\"f\":1e3,\"o\":[1]},"
                + "\"layers\":[{\"mediaType\":null,\"digest\":\"" + ZIP + "\",\"size\":2.9,\"data\":5}]}");

        assertThat(manifest.mediaType()).isEqualTo("7");
        assertThat(manifest.artifactType()).isEmpty();
        assertThat(manifest.annotations()).containsOnly(
                java.util.Map.entry("n", "null"), java.util.Map.entry("b", "true"), java.util.Map.entry("f", "1000.0"), java.util.Map.entry("o", ""));
        Descriptor layer = manifest.layers().get(0);
        assertThat(layer.mediaType()).isNull();
        assertThat(layer.size()).isEqualTo(2);
        assertThat(layer.data()).isNull();
        assertThat(manifest.config()).isNull();
        assertThatThrownBy(() -> decode("{\"layers\":[{\"digest\":\"" + ZIP + "\",\"size\":9223372036854775808}]}"))
                .hasMessage("descriptor without digest or size");
    }

    private Manifest decode(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return codec.decode(Digest.sha256(bytes), bytes, null);
    }
}
