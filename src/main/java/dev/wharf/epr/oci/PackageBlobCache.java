package dev.wharf.epr.oci;

import dev.wharf.epr.pkg.InvalidPackageException;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Digest;
import dev.wharf.oci.FileChunks;
import dev.wharf.oci.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * The package zips and signatures of one OCI repository on disk, by digest: {@code blobs/} and
 * {@code signatures/} in the cache directory belong to this class alone. A blob is fetched when it
 * is first needed, by a refresh or by a request thread serving a package whose zip went missing.
 *
 * <p>A download writes a {@code .part} file beside its target and renames it onto the target once
 * the store's stream ended (the digest matched) and the size and zip checks passed. The name of a
 * {@code .part} file is registered as in flight before the file exists and until it is renamed or
 * removed, so {@link #retainOnly} (run after every refresh, possibly while a request thread is
 * downloading) removes blobs no package uses and {@code .part} files left by a crash, never one
 * still being written.
 *
 * <p>The zip of a package indexed from its config ({@link CachedPackage#fromConfig}) must also pass
 * {@code configCheck} before it is renamed into place, so a zip on disk has always been read. Such a
 * package's download that is refused (its zip disagrees, is no zip or is too large) is told to
 * {@code onRefused}, whichever thread asked for it, so the index can leave the package out.
 */
final class PackageBlobCache {
    private static final Logger LOG = LoggerFactory.getLogger(PackageBlobCache.class);
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    private static final String PART = ".part";

    private final ArtifactStore store;
    private final String repository;
    private final Path cacheDir;
    private final long maxBytes;
    private final ZipCheck configCheck;
    private final Refusal onRefused;
    private final Set<Path> inFlight = ConcurrentHashMap.newKeySet();

    /** Told of a refused download of a package indexed from its config. */
    @FunctionalInterface
    interface Refusal {
        Refusal NONE = (entry, reason) -> {
        };

        void refused(CachedPackage entry, String reason);
    }

    PackageBlobCache(ArtifactStore store, String repository, Path cacheDir, long maxBytes, ZipCheck configCheck, Refusal onRefused) {
        this.store = store;
        this.repository = repository;
        this.cacheDir = cacheDir;
        this.maxBytes = maxBytes;
        this.configCheck = configCheck;
        this.onRefused = onRefused;
    }

    void createDirectories() throws IOException {
        Files.createDirectories(blobDir());
    }

    /** Whether the package's zip (and signature, if it has one) are on disk. */
    boolean holds(CachedPackage c) {
        return Files.isRegularFile(zipPath(c.zipDigest()))
                && (c.signatureDigest() == null || Files.isRegularFile(signaturePath(c.signatureDigest())));
    }

    /** The package's zip on disk, downloaded (and, for an entry from its config, checked against it) first when it is not there. */
    Path zip(CachedPackage c) throws InvalidPackageException {
        Descriptor layer = new Descriptor(OciPackageLayout.ZIP_MEDIA_TYPE, Digest.parse(c.zipDigest()), c.zipSize(), Map.of());
        try {
            return download(layer, zipPath(c.zipDigest()), true, c.fromConfig() ? c : null);
        } catch (InvalidPackageException e) {
            throw refused(c, e);
        }
    }

    /**
     * A refused blob as a request meets it: stored content that failed its check, which the HTTP edge
     * answers 502 in general terms (the reason goes to the log). Not an I/O error: the store answered,
     * and its answer was not the package the index lists.
     */
    static StorageException unusable(CachedPackage c, InvalidPackageException e) {
        return new StorageException(StorageException.Kind.CORRUPT, "tag " + c.tag() + ": " + e.getMessage(), e);
    }

    private InvalidPackageException refused(CachedPackage c, InvalidPackageException e) {
        if (c.fromConfig()) {
            onRefused.refused(c, e.getMessage());
        }
        return e;
    }

    /** A zip layer on disk, downloaded first when it is not there; it must start like a zip. */
    Path zip(Descriptor layer) throws InvalidPackageException {
        return download(layer, zipPath(layer.digest().toString()), true, null);
    }

    /** The package's signature on disk, downloaded first when it is not there; empty for an unsigned package. */
    Optional<Path> signature(CachedPackage c) throws InvalidPackageException {
        if (c.signatureDigest() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(download(new Descriptor(OciPackageLayout.SIGNATURE_MEDIA_TYPE, Digest.parse(c.signatureDigest()),
                    c.signatureSize(), Map.of()), signaturePath(c.signatureDigest()), false, null));
        } catch (InvalidPackageException e) {
            throw refused(c, e);
        }
    }

    /**
     * The package's zip: from disk when it is there, else straight from the store (not kept). The zip
     * of an entry from its config is downloaded and checked first: what is served must be what the
     * index says.
     */
    ChunkSource readZip(CachedPackage c) throws IOException {
        Path p = zipPath(c.zipDigest());
        if (!Files.isRegularFile(p) && c.fromConfig()) {
            try {
                p = zip(c);
            } catch (InvalidPackageException e) {
                throw unusable(c, e);
            }
        }
        if (Files.isRegularFile(p)) {
            return FileChunks.trusted(FileChannel.open(p, StandardOpenOption.READ));
        }
        return store.readBlob(repository, Digest.parse(c.zipDigest()));
    }

    /**
     * Removes every blob that none of {@code used} needs, and every {@code .part} file that no
     * download owns (left by a process that died while writing it).
     */
    void retainOnly(List<CachedPackage> used) {
        Set<Path> keep = new HashSet<>();
        used.forEach(c -> {
            keep.add(zipPath(c.zipDigest()));
            if (c.signatureDigest() != null) {
                keep.add(signaturePath(c.signatureDigest()));
            }
        });
        for (Path dir : List.of(blobDir(), signatureDir())) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    if (!keep.contains(p) && !inFlight.contains(p)) {
                        Files.deleteIfExists(p);
                    }
                }
            } catch (IOException e) {
                LOG.debug("cannot tidy {}: {}", dir, e.getMessage());
            }
        }
    }

    private Path blobDir() {
        return cacheDir.resolve("blobs");
    }

    private Path signatureDir() {
        return cacheDir.resolve("signatures");
    }

    private Path zipPath(String digest) {
        Digest d = Digest.parse(digest);
        return blobDir().resolve(d.algorithm() + "-" + d.hex() + ".zip");
    }

    private Path signaturePath(String digest) {
        Digest d = Digest.parse(digest);
        return signatureDir().resolve(d.algorithm() + "-" + d.hex() + ".sig");
    }

    private OutputStream createPart(Path target, Path part) {
        try {
            Files.createDirectories(target.getParent());
            return Files.newOutputStream(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StorageException(StorageException.Kind.WRITE_FAILED, "cannot write to " + cacheDir + ": " + e.getMessage(), e);
        }
    }

    /** The cache's disk refused a write: a full disk is no fault of the registry's or of the package's. */
    private StorageException writeFailed(Descriptor layer, IOException e) {
        return new StorageException(StorageException.Kind.WRITE_FAILED, "cannot write " + layer.digest() + " to " + cacheDir + ": "
                + e.getMessage(), e);
    }

    /**
     * Streams a blob into the cache (verified against its digest by the store) unless it is there
     * already. Two threads may download the same blob at once (a refresh and a request); each writes
     * its own {@code .part} file and the second rename replaces identical content. {@code fromConfig}:
     * the entry whose config the download must agree with before it is kept, or null.
     */
    private Path download(Descriptor layer, Path target, boolean mustBeZip, @Nullable CachedPackage fromConfig)
            throws InvalidPackageException {
        if (Files.isRegularFile(target)) {
            return target;
        }
        Path part = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + PART);
        inFlight.add(part);
        try {
            try (InputStream in = store.openBlob(repository, layer.digest()); OutputStream out = createPart(target, part)) {
                byte[] buffer = new byte[64 * 1024];
                byte[] head = new byte[ZIP_MAGIC.length];
                long total = 0;
                int n;
                while ((n = in.read(buffer)) > 0) {
                    // The first bytes as they pass, not read back from the file once it is written.
                    if (total < head.length) {
                        System.arraycopy(buffer, 0, head, (int) total, (int) Math.min(n, head.length - total));
                    }
                    total += n;
                    if (total > maxBytes) {
                        throw new InvalidPackageException("the artifact's layer (" + layer.mediaType() + ") is larger than the limit of "
                                + maxBytes + " bytes");
                    }
                    try {
                        out.write(buffer, 0, n);
                    } catch (IOException e) {
                        throw writeFailed(layer, e);
                    }
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
            throw new StorageException(StorageException.Kind.CORRUPT, "cannot write " + layer.digest() + " to " + cacheDir + ": "
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
}
