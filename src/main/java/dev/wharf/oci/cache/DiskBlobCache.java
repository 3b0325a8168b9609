package dev.wharf.oci.cache;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Digest;
import dev.wharf.oci.FileChunks;
import dev.wharf.oci.ForwardingArtifactStore;
import dev.wharf.oci.SizeCheckedChunks;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
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
 * store's copy finished, which means its digest matched, and, read for a manifest, its length was the
 * manifest's size; a copy that fails or is abandoned leaves nothing. Blobs are content-addressed, so a kept one never goes stale. The folder is bounded: when a
 * new blob takes it over {@code maxBytes}, the least recently used ones go; a blob larger than the
 * whole bound is streamed without being kept. Everything but the {@code readBlob} methods goes straight
 * to the store.
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
    /**
     * The copies writing a blob the folder does not hold to a {@code .part} file now, one per blob.
     * One that has not moved for {@link KeepingCopy#STALLED_AFTER} (its client stopped reading) may
     * be superseded by the next copy, as nginx's {@code proxy_cache_lock_age} lets one more request
     * fill a cache entry whose filling request is late.
     */
    private final Map<Digest, KeepingCopy> filling = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    public DiskBlobCache(ArtifactStore delegate, Path dir, long maxBytes) {
        this(delegate, dir, maxBytes, System::nanoTime);
    }

    /** With the clock that times a copy's progress ({@link System#nanoTime} but in tests). */
    DiskBlobCache(ArtifactStore delegate, Path dir, long maxBytes, LongSupplier nanoClock) {
        super(delegate);
        this.nanoClock = nanoClock;
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
        return read(digest, () -> delegate.readBlob(repository, digest), hit -> hit);
    }

    /**
     * The store's read for a descriptor checks the size before its end as it checks the digest, so a copy is kept
     * only once both held: a blob read for a manifest that gives another size is not kept (it had been, its end
     * checked only past the cache). A kept blob read for such a manifest is refused by its file's size.
     */
    @Override
    public ChunkSource readBlob(String repository, Descriptor blob) {
        return read(blob.digest(), () -> delegate.readBlob(repository, blob),
                hit -> SizeCheckedChunks.of(hit, blob, describe() + ", repository " + repository));
    }

    /** A kept blob is a file; one that is not is read as the store reads it. */
    @Override
    public boolean readsBlobInParts(String repository, Digest digest) {
        return kept.containsKey(digest) || delegate.readsBlobInParts(repository, digest);
    }

    /** The kept blob, as {@code onHit} makes it; else the store's {@code read}, kept on the way when no other copy keeps it. */
    private ChunkSource read(Digest digest, Supplier<ChunkSource> read, UnaryOperator<ChunkSource> onHit) {
        Path file = pathOf(digest);
        try {
            Optional<FileChannel> hit = open(file);
            if (hit.isPresent()) {
                kept.computeIfPresent(digest, (d, k) -> new Kept(tick.incrementAndGet(), k.size()));
                return onHit.apply(FileChunks.trusted(hit.get()));
            }
        } catch (IOException e) {
            LOG.warn("cannot read {} from the download cache, reading the store: {}", digest, e.getMessage());
        }
        ChunkSource chunks = read.get();
        long now = nanoClock.getAsLong();
        Path part = null;
        try {
            synchronized (filling) {
                KeepingCopy current = filling.get(digest);
                if (current != null && !current.stalledAt(now)) {
                    // Another copy is keeping this blob, and moving: a second file would take the disk twice for the same bytes.
                    return chunks;
                }
                part = Files.createTempFile(dir, "blob-", ".part");
                KeepingCopy copy = new KeepingCopy(this, chunks, part, digest, FileChannel.open(part, StandardOpenOption.WRITE), now);
                filling.put(digest, copy);
                return copy;
            }
        } catch (IOException e) {
            deleteQuietly(part);
            cannotKeep(digest, e);
            return chunks;
        }
    }

    /** One line for a copy that streams on without being kept. */
    void cannotKeep(Digest digest, IOException e) {
        LOG.warn("cannot keep {} in the download cache {}, serving it from the store: {}", digest, dir,
                e.getMessage() != null ? e.getMessage() : e.toString());
    }

    long now() {
        return nanoClock.getAsLong();
    }

    long maxBytes() {
        return maxBytes;
    }

    /** A copy no longer keeps its blob (finished, given up or superseded): a later copy may. */
    void released(Digest digest, KeepingCopy copy) {
        filling.remove(digest, copy);
    }

    /** Puts a copy's finished {@code .part} file in place as the kept blob. */
    void keep(Path part, Digest digest, long size) throws IOException {
        Path file = pathOf(digest);
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

    static void deleteQuietly(@Nullable Path p) {
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
