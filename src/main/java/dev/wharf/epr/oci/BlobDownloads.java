package dev.wharf.epr.oci;

import dev.wharf.epr.pkg.InvalidPackageException;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads of one repository's blobs into {@link PackageBlobCache}'s folders. A download writes a
 * {@code .part} file beside its target and renames it onto the target once the store's chunks ended
 * (the digest matched) and the size, zip and config checks passed. The name of a {@code .part} file
 * is registered as in flight before the file exists and until it is renamed or removed, so the
 * cache's tidying never removes one still being written.
 */
final class BlobDownloads {
    private static final Logger LOG = LoggerFactory.getLogger(BlobDownloads.class);
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    private static final String PART = ".part";

    private final ArtifactStore store;
    private final String repository;
    private final Path cacheDir;
    private final long maxBytes;
    private final ZipCheck configCheck;
    private final Set<Path> inFlight = ConcurrentHashMap.newKeySet();
    /** The downloads under way, by target: a second thread needing the same blob waits for the first's. */
    private final ConcurrentMap<Path, CompletableFuture<Path>> downloads = new ConcurrentHashMap<>();

    BlobDownloads(ArtifactStore store, String repository, Path cacheDir, long maxBytes, ZipCheck configCheck) {
        this.store = store;
        this.repository = repository;
        this.cacheDir = cacheDir;
        this.maxBytes = maxBytes;
        this.configCheck = configCheck;
    }

    /** Whether {@code part} is a {@code .part} file a download is writing now. */
    boolean isInFlight(Path part) {
        return inFlight.contains(part);
    }

    /**
     * Streams a blob into the cache (verified against its digest by the store) unless it is there
     * already. A thread that needs a blob another thread is downloading waits for that download and
     * shares its outcome: Fleet's requests for a package just published (or a zip gone from the
     * cache) and the fill behind the index would otherwise each read the registry and write a file
     * of up to {@code -max-package-size}. {@code fromConfig}: the entry whose config the download
     * must agree with before it is kept, or null.
     */
    Path download(Descriptor layer, Path target, boolean mustBeZip, @Nullable CachedPackage fromConfig)
            throws InvalidPackageException {
        if (Files.isRegularFile(target)) {
            return target;
        }
        CompletableFuture<Path> mine = new CompletableFuture<>();
        CompletableFuture<Path> running = downloads.putIfAbsent(target, mine);
        if (running != null) {
            return outcomeOf(running);
        }
        try {
            Path done = downloadNow(layer, target, mustBeZip, fromConfig);
            mine.complete(done);
            return done;
        } catch (InvalidPackageException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            downloads.remove(target, mine);
        }
    }

    /** The outcome of another thread's download: its file, or its failure rethrown here. */
    private static Path outcomeOf(CompletableFuture<Path> running) throws InvalidPackageException {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof InvalidPackageException refused) {
                throw refused;
            }
            if (e.getCause() instanceof RuntimeException failed) {
                throw failed;
            }
            throw e;
        }
    }

    private Path downloadNow(Descriptor layer, Path target, boolean mustBeZip, @Nullable CachedPackage fromConfig)
            throws InvalidPackageException {
        Path part = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + PART);
        inFlight.add(part);
        try {
            // Read as chunks rather than a stream: a registry that announces another length than the
            // descriptor's size is refused here, before a byte of the body is read or a file is made.
            try (ChunkSource in = store.readBlob(repository, layer); FileChannel out = createPart(layer, target, part)) {
                byte[] head = new byte[ZIP_MAGIC.length];
                long total = 0;
                for (ByteBuffer chunk = in.next(); chunk != null; chunk = in.next()) {
                    int n = chunk.remaining();
                    // The first bytes as they pass, not read back from the file once it is written.
                    if (total < head.length) {
                        chunk.duplicate().get(head, (int) total, (int) Math.min(n, head.length - total));
                    }
                    total += n;
                    if (total > maxBytes) {
                        throw new BlobTooLargeException("the artifact's layer (" + layer.mediaType() + ") is larger than the limit of "
                                + maxBytes + " bytes");
                    }
                    write(out, chunk.duplicate(), layer);
                }
                if (mustBeZip && (total < head.length || !Arrays.equals(head, ZIP_MAGIC))) {
                    throw new InvalidPackageException("the artifact's layer (" + layer.mediaType() + ") is not a zip file");
                }
            }
            if (fromConfig != null) {
                configCheck.check(part, fromConfig);
            }
            try {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw writeFailed(layer, e);
            }
            return target;
        } catch (IOException e) {
            throw new StorageException(StorageException.Kind.CORRUPT, "cannot download " + layer.digest() + " into " + cacheDir + ": "
                    + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                LOG.debug("cannot remove {}; the next refresh will: {}", part, e.getMessage());
            } finally {
                inFlight.remove(part);
            }
        }
    }

    private FileChannel createPart(Descriptor layer, Path target, Path part) {
        try {
            Files.createDirectories(target.getParent());
            return FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw writeFailed(layer, e);
        }
    }

    /** Writes a chunk (a copy of the source's buffer, which is not ours to move) whole. */
    private void write(FileChannel out, ByteBuffer chunk, Descriptor layer) {
        try {
            while (chunk.hasRemaining()) {
                out.write(chunk);
            }
        } catch (IOException e) {
            throw writeFailed(layer, e);
        }
    }

    /** The cache's disk refused a write: a full disk is no fault of the registry's or of the package's. */
    private StorageException writeFailed(Descriptor layer, IOException e) {
        return StorageException.writeFailed(layer.digest() + " to " + cacheDir, e);
    }
}
