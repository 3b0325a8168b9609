package dev.wharf.oci.cache;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.Digest;
import dev.wharf.oci.FileChunks;
import dev.wharf.oci.ForwardingArtifactStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the blobs streamed out of a store in a local folder, by digest, so the next copy of the same
 * blob is a file read straight into the server's buffers ({@link FileChunks}). Proxying a blob from a registry costs the
 * server a SHA-256 over every byte and two more trips through the loopback; on two cores that held
 * proxied downloads to about a third of what the registry itself serves (bench/RESULTS.md, figure 2).
 *
 * <p>A blob is written to the folder while it is being copied the first time and kept only when the
 * store's copy finished, which means its digest matched; a copy that fails or is abandoned leaves
 * nothing. Blobs are content-addressed, so a kept one never goes stale. The folder is bounded: when a
 * new blob takes it over {@code maxBytes}, the least recently used ones go; a blob larger than the
 * whole bound is streamed without being kept. Everything but {@link #readBlob} goes straight to the
 * store.
 */
public final class DiskBlobCache extends ForwardingArtifactStore {
    private static final Logger LOG = LoggerFactory.getLogger(DiskBlobCache.class);

    private final Path dir;
    private final long maxBytes;
    /** When each kept blob was last used (a counter, not a clock) and its size: no file is stat'ed to evict. */
    private record Kept(long lastUsed, long size) {
    }

    private final Map<Digest, Kept> kept = new ConcurrentHashMap<>();
    private final AtomicLong tick = new AtomicLong();
    private final Object evictionLock = new Object();
    /** The blobs whose first copy is being written to a {@code .part} file now. */
    private final Set<Digest> filling = ConcurrentHashMap.newKeySet();

    public DiskBlobCache(ArtifactStore delegate, Path dir, long maxBytes) {
        super(delegate);
        this.dir = dir;
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the download cache folder " + dir + ": " + e.getMessage(), e);
        }
        forgetUnfinished();
        // Blobs kept by an earlier run count as used in the order they were last written or read.
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> Digest.isDigest(digestName(p))).sorted(Comparator.comparing(DiskBlobCache::modified))
                    .forEach(p -> kept.put(Digest.parse(digestName(p)), new Kept(tick.incrementAndGet(), sizeOf(p))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the download cache folder " + dir + ": " + e.getMessage(), e);
        }
        evict();
    }

    @Override
    public ChunkSource readBlob(String repository, Digest digest) {
        Path file = pathOf(digest);
        try {
            Optional<FileChannel> hit = open(file);
            if (hit.isPresent()) {
                kept.computeIfPresent(digest, (d, k) -> new Kept(tick.incrementAndGet(), k.size()));
                return FileChunks.trusted(hit.get());
            }
        } catch (IOException e) {
            LOG.warn("cannot read {} from the download cache, reading the store: {}", digest, e.getMessage());
        }
        ChunkSource chunks = delegate.readBlob(repository, digest);
        if (!filling.add(digest)) {
            // Another copy is keeping this blob: a second file would take the disk twice for the same bytes.
            return chunks;
        }
        Path part = null;
        try {
            part = Files.createTempFile(dir, "blob-", ".part");
            return new Keeping(chunks, part, file, digest, FileChannel.open(part, StandardOpenOption.WRITE));
        } catch (IOException e) {
            filling.remove(digest);
            deleteQuietly(part);
            LOG.warn("cannot keep {} in the download cache {}, serving it from the store: {}", digest, dir, e.getMessage());
            return chunks;
        }
    }

    /**
     * The store's chunks, each also written to a {@code .part} file before it is handed out; the file
     * becomes the kept blob when the store hands out its end (its digest matched), and goes when the
     * chunks are closed before that or grow past the bound.
     *
     * <p>The cache serves the store, not the other way round: a write that fails (a full disk, a
     * folder emptied by hand) ends the keeping, never the copy. The chunks come from the store and are
     * checked there, so the client still gets every byte; only the next copy reads the store again.
     */
    private final class Keeping implements ChunkSource {
        private final ChunkSource chunks;
        private final Path part;
        private final Path file;
        private final Digest digest;
        /** Null once the copy is no longer kept: finished, given up or too large. */
        private @Nullable FileChannel out;
        private long written;

        Keeping(ChunkSource chunks, Path part, Path file, Digest digest, FileChannel out) {
            this.chunks = chunks;
            this.part = part;
            this.file = file;
            this.digest = digest;
            this.out = out;
        }

        @Override
        public @Nullable ByteBuffer next() throws IOException {
            return kept(chunks.next());
        }

        @Override
        public @Nullable ByteBuffer next(Supplier<ByteBuffer> buffers) throws IOException {
            return kept(chunks.next(buffers));
        }

        /** Writes {@code chunk} to the {@code .part} file, and keeps that file at the end. */
        private @Nullable ByteBuffer kept(@Nullable ByteBuffer chunk) {
            FileChannel channel = out;
            if (channel == null) {
                return chunk;
            }
            try {
                if (chunk == null) {
                    out = null;
                    try (channel) {
                        channel.force(false);
                    }
                    keep(part, file, digest, written);
                    filling.remove(digest);
                    return null;
                }
                written += chunk.remaining();
                if (written > maxBytes) {
                    stopKeeping(null);
                    return chunk;
                }
                ByteBuffer copy = chunk.duplicate();
                while (copy.hasRemaining()) {
                    channel.write(copy);
                }
            } catch (IOException e) {
                stopKeeping(e);
            }
            return chunk;
        }

        /** Removes the {@code .part} file; {@code failure}, when there is one, is logged once, for this copy. */
        private void stopKeeping(@Nullable IOException failure) {
            FileChannel channel = out;
            out = null;
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    LOG.debug("cannot close {}: {}", part, e.getMessage());
                }
            }
            deleteQuietly(part);
            filling.remove(digest);
            if (failure != null) {
                LOG.warn("cannot keep {} in the download cache {}, serving it from the store: {}", digest, dir,
                        failure.getMessage() != null ? failure.getMessage() : failure.toString());
            }
        }

        @Override
        public void close() throws IOException {
            try (chunks) {
                if (out != null) {
                    stopKeeping(null);
                }
            }
        }
    }

    private void keep(Path part, Path file, Digest digest, long size) throws IOException {
        try {
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
        }
        kept.put(digest, new Kept(tick.incrementAndGet(), size));
        evict();
    }

    /** Drops the least recently used blobs until the folder is within its bound. */
    private void evict() {
        synchronized (evictionLock) {
            long total = kept.values().stream().mapToLong(Kept::size).sum();
            if (total <= maxBytes) {
                return;
            }
            List<Map.Entry<Digest, Kept>> byAge = kept.entrySet().stream()
                    .sorted(Comparator.comparingLong(e -> e.getValue().lastUsed())).toList();
            for (Map.Entry<Digest, Kept> e : byAge) {
                if (total <= maxBytes) {
                    break;
                }
                Digest oldest = e.getKey();
                try {
                    // A copy still reading the file keeps its open channel or mapping: unlinking is safe.
                    Files.deleteIfExists(pathOf(oldest));
                    total -= e.getValue().size();
                    kept.remove(oldest, e.getValue());
                } catch (IOException ex) {
                    LOG.warn("cannot remove {} from the download cache: {}", oldest, ex.getMessage());
                }
            }
        }
    }

    private void forgetUnfinished() {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".part")).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.debug("cannot tidy {}: {}", dir, e.getMessage());
        }
    }

    private static void deleteQuietly(@Nullable Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.debug("cannot remove {}; the next start will: {}", p, e.getMessage());
        }
    }

    private Path pathOf(Digest digest) {
        return dir.resolve(digest.algorithm() + "-" + digest.hex());
    }

    private static String digestName(Path p) {
        return p.getFileName().toString().replaceFirst("-", ":");
    }

    private static Optional<FileChannel> open(Path p) throws IOException {
        try {
            return Optional.of(FileChannel.open(p, StandardOpenOption.READ));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
