package dev.wharf.oci.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.ManifestCodec;
import dev.wharf.oci.RepositoryFullException;
import dev.wharf.oci.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** A corrupt or hostile layout on disk: files too large to read whole, lists too long, JSON too deep. */
class ImageLayoutLimitsTest {
    private static final int FOUR_MIB = ManifestCodec.MAX_MANIFEST_BYTES;

    @TempDir
    Path scratch;

    @Test
    void aManifestBlobPastTheManifestLimitIsRefusedNamingTheFileAndTheLimitWithoutBeingRead() throws Throwable {
        ImageLayoutStore store = new ImageLayoutStore(scratch);
        Manifest pushed = store.push("acme/big", "1", artifact("one"), false);
        Path layout = scratch.resolve("acme/big");
        byte[] own = Files.readAllBytes(LayoutPaths.blob(layout, pushed.digest()));

        // The same manifest padded with JSON whitespace: still a manifest, whose size alone decides.
        Digest atTheLimit = blob(layout, padded(own, FOUR_MIB));
        Digest pastTheLimit = blob(layout, padded(own, FOUR_MIB + 1));
        Path huge = layout.resolve("blobs/sha256/huge");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(100L << 20);  // sparse: 100 MB the disk does not hold
        }
        Digest hugeDigest = sha256(huge);
        Path hugeBlob = LayoutPaths.blob(layout, hugeDigest);
        Files.move(huge, hugeBlob);
        index(layout, entry("limit", atTheLimit) + "," + entry("past", pastTheLimit) + "," + entry("huge", hugeDigest));

        assertThat(store.resolve("acme/big", "limit")).get().satisfies(m -> assertThat(m.layers()).hasSize(1));
        assertThatThrownBy(() -> store.resolve("acme/big", "past")).isInstanceOf(StorageException.class)
                .hasMessage("OCI layout " + scratch + ", repository acme/big: the manifest blob of 'past' ("
                        + LayoutPaths.blob(layout, pastTheLimit) + ") is 4194305 bytes, more than the 4 MiB Wharf reads of a manifest"
                        + " (the limit registries apply)");
        long allocated = allocatedBy(() -> assertThatThrownBy(() -> store.resolve("acme/big", hugeDigest.toString()))
                .hasMessage("OCI layout " + scratch + ", repository acme/big: the manifest blob of '" + hugeDigest + "' (" + hugeBlob
                        + ") is 104857600 bytes, more than the 4 MiB Wharf reads of a manifest (the limit registries apply)"));
        // Read whole it was 100 MB; refused by its size, it is not read at all. 16 MiB leaves a wide margin.
        assertThat(allocated).as("bytes allocated refusing a 100 MB manifest blob").isLessThan(16L << 20);
    }

    @Test
    void anIndexPastItsByteBoundIsRefusedNamingTheFileAndTheBoundWithoutBeingRead() throws Throwable {
        ImageLayoutStore store = new ImageLayoutStore(scratch);
        store.push("acme/index", "1", artifact("one"), false);
        Path index = scratch.resolve("acme/index/index.json");
        try (RandomAccessFile file = new RandomAccessFile(index.toFile(), "rw")) {
            file.setLength(LayoutIndex.MAX_BYTES + 1L);  // sparse
        }
        String refusal = "OCI layout " + scratch.resolve("acme/index") + ": cannot read index.json: " + index
                + " is 134217729 bytes, more than the 128 MiB Wharf reads of one repository's index.json";

        long allocated = allocatedBy(() -> assertThatThrownBy(() -> store.listTags("acme/index"))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.CORRUPT))
                .hasMessage(refusal));
        assertThat(allocated).as("bytes allocated refusing a 128 MiB index.json").isLessThan(16L << 20);
        assertThatThrownBy(() -> store.resolve("acme/index", "1")).hasMessage(refusal);
    }

    @Test
    void anIndexListingMoreManifestsThanTheBoundIsRefusedAndNoPushWritesOne() throws IOException {
        ImageLayoutStore store = new ImageLayoutStore(scratch, new ObjectMapper(), new LayoutIndex.Bounds(LayoutIndex.MAX_BYTES, 3));
        for (String tag : new String[] {"1", "2", "3"}) {
            store.push("acme/many", tag, artifact(tag), false);
        }
        Path layout = scratch.resolve("acme/many");
        byte[] three = Files.readAllBytes(layout.resolve("index.json"));

        assertThatThrownBy(() -> store.push("acme/many", "4", artifact("4"), false))
                .isInstanceOfSatisfying(RepositoryFullException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StorageException.Kind.WRITE_FAILED);
                    assertThat(e.forClients()).isEqualTo("the embedded OCI layout keeps at most 3 tags in one repository and this one"
                            + " holds 3, so the new tag is refused: an operator can delete old versions, or move the storage to an OCI registry");
                })
                .hasMessage("OCI layout " + layout + ": index.json is left as it was: the embedded OCI layout keeps at most 3 tags in one"
                        + " repository and this one holds 3, so the new tag is refused: an operator can delete old versions, or move the"
                        + " storage to an OCI registry");
        assertThat(layout.resolve("index.json")).hasBinaryContent(three);
        assertThat(store.listTags("acme/many")).containsExactly("1", "2", "3");

        // Written by another tool: refused at the fourth entry, whatever follows it (here no valid JSON).
        Digest any = Digest.sha256("x".getBytes(StandardCharsets.UTF_8));
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[" + entry("a", any) + "," + entry("b", any)
                + "," + entry("c", any) + "," + entry("d", any) + ",not json", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> store.listTags("acme/many")).hasMessage("OCI layout " + layout
                + ": cannot read index.json: index.json lists more than 3 manifests, more than Wharf reads of one repository");
    }

    @Test
    void aPushThatWouldMakeTheIndexLargerThanItsByteBoundIsRefused() throws IOException {
        ImageLayoutStore store = new ImageLayoutStore(scratch, new ObjectMapper(), new LayoutIndex.Bounds(600, LayoutIndex.MAX_ENTRIES));
        store.push("acme/bytes", "1", artifact("1"), false);
        Path layout = scratch.resolve("acme/bytes");
        byte[] one = Files.readAllBytes(layout.resolve("index.json"));
        assertThat(one.length).as("an index of one tag is within the bound, one of two is not").isBetween(300, 600);

        assertThatThrownBy(() -> store.push("acme/bytes", "2", artifact("2"), false)).isInstanceOf(RepositoryFullException.class)
                .hasMessageStartingWith("OCI layout " + layout + ": index.json is left as it was: the embedded OCI layout keeps at most"
                        + " 600 bytes of tags (index.json) in one repository and the new tag would take this one's to ")
                .hasMessageEndingWith(" bytes (2 tags), so it is refused: an operator can delete old versions, or move the storage to an"
                        + " OCI registry");
        assertThat(layout.resolve("index.json")).hasBinaryContent(one);
        assertThat(store.listTags("acme/bytes")).containsExactly("1");
    }

    @Test
    void aManifestOfMoreLayersThanTheBoundIsRefusedNamingTheRepositoryAndTheReference() throws IOException {
        ImageLayoutStore store = new ImageLayoutStore(scratch);
        Manifest pushed = store.push("acme/layers", "1", artifact("one"), false);
        Path layout = scratch.resolve("acme/layers");
        String layer = "{\"mediaType\":\"text/plain\",\"digest\":\"" + pushed.layers().get(0).digest() + "\",\"size\":3}";
        Digest many = blob(layout, ("{\"schemaVersion\":2,\"layers\":[" + String.join(",", java.util.Collections.nCopies(1001, layer))
                + "]}").getBytes(StandardCharsets.UTF_8));
        index(layout, entry("1", pushed.digest()) + "," + entry("many", many));

        assertThatThrownBy(() -> store.resolve("acme/layers", "many")).isInstanceOf(StorageException.class)
                .hasMessage("OCI layout " + scratch + ", repository acme/layers: the manifest of 'many' is refused: it lists more than"
                        + " 1000 layers, more than any artifact Wharf reads has (its own have one or two)");
        assertThat(store.resolve("acme/layers", "1")).isPresent();
    }

    /** Jackson's nesting bound (1,000) holds for both files: an error naming the file, never a stack overflow. */
    @Test
    void jsonNestedDeeplyIsRefusedAsUnreadableNamingTheFile() throws IOException {
        ImageLayoutStore store = new ImageLayoutStore(scratch);
        Manifest pushed = store.push("acme/deep", "1", artifact("one"), false);
        Path layout = scratch.resolve("acme/deep");
        String deep = "[".repeat(200_000) + "]".repeat(200_000);
        Digest deepManifest = blob(layout, ("{\"layers\":" + deep + "}").getBytes(StandardCharsets.UTF_8));
        index(layout, entry("1", pushed.digest()) + "," + entry("deep", deepManifest));

        assertThatThrownBy(() -> store.resolve("acme/deep", "deep")).isInstanceOf(StorageException.class)
                .hasMessageStartingWith("OCI layout " + scratch + ", repository acme/deep: 'deep' is not an artifact manifest: "
                        + "not a JSON manifest: Document nesting depth (1001) exceeds the maximum allowed");

        index(layout, entry("1", pushed.digest()) + ",{\"annotations\":" + deep + "}");
        assertThatThrownBy(() -> store.listTags("acme/deep")).isInstanceOf(StorageException.class)
                .hasMessageStartingWith("OCI layout " + layout + ": cannot read index.json: Document nesting depth (1001) exceeds");
    }

    private static Artifact artifact(String content) {
        return Artifact.single("application/vnd.wharf.test", Layer.file("text/plain", "f.txt",
                BlobSource.ofBytes(content.getBytes(StandardCharsets.UTF_8))));
    }

    private static byte[] padded(byte[] json, int length) {
        byte[] bytes = Arrays.copyOf(json, length);
        Arrays.fill(bytes, json.length, length, (byte) ' ');
        return bytes;
    }

    private static Digest blob(Path layout, byte[] bytes) throws IOException {
        Digest digest = Digest.sha256(bytes);
        Files.write(LayoutPaths.blob(layout, digest), bytes);
        return digest;
    }

    private static Digest sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return Digest.parse("sha256:" + HexFormat.of().formatHex(sha.digest()));
    }

    private static String entry(String tag, Digest digest) {
        return "{\"mediaType\":\"" + Manifest.OCI_IMAGE_MANIFEST + "\",\"digest\":\"" + digest + "\",\"size\":1,"
                + "\"annotations\":{\"" + LayoutIndex.REF_NAME + "\":\"" + tag + "\"}}";
    }

    private static void index(Path layout, String entries) throws IOException {
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[" + entries + "]}", StandardCharsets.UTF_8);
    }

    /** The bytes this thread allocated running {@code check}, as ManifestReadingTest measures them. */
    private static long allocatedBy(Executable check) throws Throwable {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeThat(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()).isTrue();
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        check.execute();
        return threads.getThreadAllocatedBytes(thread) - before;
    }
}
