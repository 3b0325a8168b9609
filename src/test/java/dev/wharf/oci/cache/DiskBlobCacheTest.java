package dev.wharf.oci.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.StorageException;
import dev.wharf.testing.ChunkBytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskBlobCacheTest {
    @TempDir
    Path dir;

    private final Blobs store = new Blobs();

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] copy(ArtifactStore s, Digest d) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.copyBlob("repo", d, chunk -> {
            byte[] bytes = new byte[chunk.remaining()];
            chunk.get(bytes);
            out.write(bytes);
        });
        return out.toByteArray();
    }

    private List<String> kept() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theFirstCopyComesFromTheStoreAndTheNextFromTheFolder() throws IOException {
        byte[] content = random(100_000, 1);
        Digest d = store.add(content);
        DiskBlobCache cache = new DiskBlobCache(store, dir, 1 << 20);

        assertThat(copy(cache, d)).isEqualTo(content);
        assertThat(copy(cache, d)).isEqualTo(content);
        assertThat(store.copies).isEqualTo(1);
        assertThat(kept()).containsExactly("sha256-" + d.hex());

        DiskBlobCache afterRestart = new DiskBlobCache(store, dir, 1 << 20);
        assertThat(copy(afterRestart, d)).isEqualTo(content);
        assertThat(store.copies).isEqualTo(1);
    }

    @Test
    void aBlobThatFailsItsDigestIsNeitherKeptNorFinished() throws IOException {
        byte[] content = random(10_000, 2);
        Digest d = store.add(content);
        store.corrupt.add(d);
        DiskBlobCache cache = new DiskBlobCache(store, dir, 1 << 20);
        ByteArrayOutputStream received = new ByteArrayOutputStream();

        assertThatThrownBy(() -> cache.copyBlob("repo", d, chunk -> received.write(chunk.array(), chunk.position(), chunk.remaining())))
                .isInstanceOf(IOException.class).hasMessageContaining("digest");
        assertThat(received.size()).isLessThan(content.length);
        assertThat(kept()).isEmpty();
    }

    @Test
    void aClientThatGoesAwayLeavesNothingBehind() throws IOException {
        Digest d = store.add(random(10_000, 3));
        DiskBlobCache cache = new DiskBlobCache(store, dir, 1 << 20);
        assertThatThrownBy(() -> cache.copyBlob("repo", d, chunk -> {
            throw new IOException("broken pipe");
        })).hasMessage("broken pipe");
        assertThat(kept()).isEmpty();
    }

    @Test
    void theLeastRecentlyUsedGoWhenTheFolderIsFull() throws IOException {
        Digest a = store.add(random(1500, 4));
        Digest b = store.add(random(1500, 5));
        Digest c = store.add(random(1500, 6));
        DiskBlobCache cache = new DiskBlobCache(store, dir, 3200);
        copy(cache, a);
        copy(cache, b);
        copy(cache, a);
        copy(cache, c);
        assertThat(kept()).containsExactlyInAnyOrder("sha256-" + a.hex(), "sha256-" + c.hex());
    }

    @Test
    void aBlobBiggerThanTheFolderIsStreamedButNotKept() throws IOException {
        byte[] content = random(5000, 7);
        Digest d = store.add(content);
        DiskBlobCache cache = new DiskBlobCache(store, dir, 4000);
        assertThat(copy(cache, d)).isEqualTo(content);
        assertThat(kept()).isEmpty();
    }

    @Test
    void aFolderEmptiedDuringTheFirstCopyCostsTheKeepingNotTheCopy() throws IOException {
        byte[] content = random(10_000, 8);
        Digest d = store.add(content);
        DiskBlobCache cache = new DiskBlobCache(store, dir, 1 << 20);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (ChunkSource chunks = cache.readBlob("repo", d)) {
            received.write(bytes(chunks.next()));
            assertThat(kept()).singleElement().asString().endsWith(".part");
            for (String name : kept()) {
                Files.delete(dir.resolve(name));
            }
            for (ByteBuffer chunk = chunks.next(); chunk != null; chunk = chunks.next()) {
                received.write(bytes(chunk));
            }
        }
        assertThat(received.toByteArray()).isEqualTo(content);
        assertThat(kept()).isEmpty();

        assertThat(copy(cache, d)).as("the next copy reads the store, and keeps it").isEqualTo(content);
        assertThat(store.copies).isEqualTo(2);
        assertThat(kept()).containsExactly("sha256-" + d.hex());
    }

    @Test
    void twoFirstCopiesOfOneBlobWriteOneFile() throws IOException {
        byte[] content = random(10_000, 9);
        Digest d = store.add(content);
        DiskBlobCache cache = new DiskBlobCache(store, dir, 1 << 20);
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        try (ChunkSource a = cache.readBlob("repo", d); ChunkSource b = cache.readBlob("repo", d)) {
            ByteBuffer fromA = a.next();
            ByteBuffer fromB = b.next();
            assertThat(kept()).as("one .part file for both copies").singleElement().asString().endsWith(".part");
            while (fromA != null || fromB != null) {
                if (fromA != null) {
                    first.write(bytes(fromA));
                    fromA = a.next();
                }
                if (fromB != null) {
                    second.write(bytes(fromB));
                    fromB = b.next();
                }
            }
        }
        assertThat(first.toByteArray()).isEqualTo(content);
        assertThat(second.toByteArray()).isEqualTo(content);
        assertThat(kept()).containsExactly("sha256-" + d.hex());
        assertThat(copy(cache, d)).isEqualTo(content);
        assertThat(store.copies).isEqualTo(2);
    }

    @Test
    void aKeepingCopyWhoseClientStoppedReadingIsSupersededAfterFiveSeconds() throws IOException {
        byte[] content = random(10_000, 11);
        Digest d = store.add(content);
        AtomicLong nanos = new AtomicLong();
        DiskBlobCache cache = new DiskBlobCache(store, dir, 1 << 20, nanos::get);
        try (ChunkSource stalled = cache.readBlob("repo", d)) {
            stalled.next();
            nanos.addAndGet(Duration.ofSeconds(4).toNanos());
            assertThat(copy(cache, d)).isEqualTo(content);
            assertThat(kept()).as("4 s: the first copy still keeps the blob, the second streams").singleElement().asString().endsWith(".part");

            nanos.addAndGet(Duration.ofSeconds(2).toNanos());
            assertThat(copy(cache, d)).isEqualTo(content);
            assertThat(kept()).as("6 s without a chunk: the next copy keeps it").hasSize(2).contains("sha256-" + d.hex());
        }
        assertThat(kept()).containsExactly("sha256-" + d.hex());
        assertThat(copy(cache, d)).isEqualTo(content);
        assertThat(store.copies).isEqualTo(3);
    }

    @Test
    void aCopyAbandonedWhileKeepingLetsTheNextOneKeep() throws IOException {
        byte[] content = random(10_000, 10);
        Digest d = store.add(content);
        DiskBlobCache cache = new DiskBlobCache(store, dir, 1 << 20);
        try (ChunkSource abandoned = cache.readBlob("repo", d)) {
            abandoned.next();
        }
        assertThat(kept()).isEmpty();
        assertThat(copy(cache, d)).isEqualTo(content);
        assertThat(kept()).containsExactly("sha256-" + d.hex());
    }

    private static byte[] bytes(ByteBuffer chunk) {
        byte[] b = new byte[chunk.remaining()];
        chunk.duplicate().get(b);
        return b;
    }

    @Test
    void unfinishedFilesOfAnEarlierRunAreRemoved() throws IOException {
        Files.write(dir.resolve("blob-123.part"), new byte[] {1, 2});
        new DiskBlobCache(store, dir, 1 << 20);
        assertThat(kept()).isEmpty();
    }

    /**
     * A blob read for a manifest whose size is not the blob's: its digest matches, so the cache had kept it at the
     * store's end, before the size was checked past the cache. Kept only once both held; a blob kept by a right
     * read is refused at once, by its file's size, for a manifest of another size.
     */
    @Test
    void aBlobReadForAManifestOfAnotherSizeIsNeverKept() throws IOException {
        byte[] content = random(10_000, 9);
        Digest d = store.add(content);
        DiskBlobCache cache = new DiskBlobCache(store, dir, 1 << 20);
        Descriptor tooLarge = new Descriptor("application/octet-stream", d, 12_000, Map.of());
        Descriptor tooSmall = new Descriptor("application/octet-stream", d, 8_000, Map.of());

        // The store announces no length (a chunked answer): each fails as it is read.
        assertThatThrownBy(() -> ChunkBytes.readAll(cache.readBlob("repo", tooLarge)))
                .isInstanceOf(IOException.class).hasMessageContaining("gives its size as 12000");
        assertThat(kept()).isEmpty();
        assertThatThrownBy(() -> ChunkBytes.readAll(cache.readBlob("repo", tooSmall)))
                .isInstanceOf(IOException.class).hasMessageContaining("gives its size as 8000");
        assertThat(kept()).isEmpty();

        Descriptor right = new Descriptor("application/octet-stream", d, content.length, Map.of());
        assertThat(ChunkBytes.readAll(cache.readBlob("repo", right))).isEqualTo(content);
        assertThat(kept()).containsExactly("sha256-" + d.hex());
        assertThatThrownBy(() -> cache.readBlob("repo", tooLarge)).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.CORRUPT)).hasMessageContaining("is 10000 bytes as the storage announces it");
        assertThat(ChunkBytes.readAll(cache.readBlob("repo", right))).isEqualTo(content);
        assertThat(store.copies).isEqualTo(3);
    }

    /** Blobs in memory, copied in 1 KB chunks; a corrupt one fails its digest before its last chunk, as stores do. */
    private static final class Blobs implements ArtifactStore {
        final Map<Digest, byte[]> blobs = new HashMap<>();
        final java.util.Set<Digest> corrupt = new java.util.HashSet<>();
        int copies;

        Digest add(byte[] content) {
            Digest d = Digest.sha256(content);
            blobs.put(d, content);
            return d;
        }

        @Override
        public ChunkSource readBlob(String repository, Digest digest) {
            copies++;
            byte[] content = blobs.get(digest);
            return new ChunkSource() {
                private int at;

                @Override
                public ByteBuffer next() throws IOException {
                    if (at >= content.length) {
                        return null;
                    }
                    if (corrupt.contains(digest) && at + 1024 >= content.length) {
                        throw new IOException("blob " + digest + " does not match its digest");
                    }
                    ByteBuffer chunk = ByteBuffer.wrap(content, at, Math.min(1024, content.length - at)).slice();
                    at += chunk.remaining();
                    return chunk;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public List<String> listTags(String repository) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Manifest> resolve(String repository, String reference) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean exists(String repository, String tag) {
            throw new UnsupportedOperationException();
        }

        @Override
        public InputStream openBlob(String repository, Digest digest) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Manifest push(String repository, String tag, Artifact artifact, boolean overwrite) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean delete(String repository, String tag) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String describe() {
            return "memory";
        }
    }
}
