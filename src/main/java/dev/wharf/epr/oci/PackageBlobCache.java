package dev.wharf.epr.oci;

import dev.wharf.epr.pkg.InvalidPackageException;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Digest;
import dev.wharf.oci.FileChunks;
import dev.wharf.oci.SizeCheckedChunks;
import dev.wharf.oci.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The package zips and signatures of one OCI repository on disk, by digest: {@code blobs/} and
 * {@code signatures/} in the cache directory belong to this class alone. A blob is fetched when it
 * is first needed: by a refresh reading a new package, by the fill behind the index, or by a request
 * thread serving a package whose zip is not there yet or went missing.
 *
 * <p>Downloads go through {@link BlobDownloads}, which writes a {@code .part} file beside its target
 * and renames it once every check passed, so {@link #retainOnly} (run after every refresh, possibly
 * while a request thread is downloading) removes blobs no package uses and {@code .part} files left
 * by a crash, never one still being written.
 *
 * <p>The zip of a package indexed from its config ({@link CachedPackage#fromConfig}) must also pass
 * {@code configCheck} before it is renamed into place, so a zip on disk has always been read. A
 * package's download that is refused (its zip disagrees, is no zip or is too large) is told to
 * {@code onRefused}, whichever thread asked for it, so the index can leave the package out.
 */
final class PackageBlobCache {
    private static final Logger LOG = LoggerFactory.getLogger(PackageBlobCache.class);

    private final Path cacheDir;
    private final Refusal onRefused;
    private final BlobDownloads downloads;
    /** Where a kept zip is, for the message of one whose length is not its index's size; made once, not per answer. */
    private final String keptWhere;

    /** Told of a refused download of a package. */
    @FunctionalInterface
    interface Refusal {
        Refusal NONE = (entry, reason, tooLarge) -> {
        };

        /** {@code tooLarge}: refused for passing {@code -max-package-size}, not by a check of its content. */
        void refused(CachedPackage entry, String reason, boolean tooLarge);
    }

    PackageBlobCache(ArtifactStore store, String repository, Path cacheDir, long maxBytes, ZipCheck configCheck, Refusal onRefused) {
        this.cacheDir = cacheDir;
        this.onRefused = onRefused;
        this.downloads = new BlobDownloads(store, repository, cacheDir, maxBytes, configCheck);
        this.keptWhere = store.describe() + ", repository " + repository + " (kept in " + cacheDir + ")";
    }

    void createDirectories() throws IOException {
        Files.createDirectories(blobDir());
    }

    /** Whether the package's zip and signature, if it has one, are on disk, each of the index's size. */
    boolean holds(CachedPackage c) {
        return keptOfSize(zipPath(c.zipDigest()), c.zipSize())
                && (c.signatureDigest() == null || keptOfSize(signaturePath(c.signatureDigest()), c.signatureSize()));
    }

    /** The package's zip on disk, downloaded (and, for an entry from its config, checked against it) first when it is not there. */
    Path zip(CachedPackage c) throws InvalidPackageException {
        dropIfOfOtherSize(zipPath(c.zipDigest()), c.zipSize());
        try {
            return downloads.download(zipLayer(c), zipPath(c.zipDigest()), true, c.fromConfig() ? c : null);
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
        onRefused.refused(c, e.getMessage(), e instanceof BlobTooLargeException);
        return e;
    }

    /** A zip layer on disk, downloaded first when it is not there; it must start like a zip. */
    Path zip(Descriptor layer) throws InvalidPackageException {
        return downloads.download(layer, zipPath(layer.digest().toString()), true, null);
    }

    /** A signature layer on disk, downloaded first when it is not there. */
    Path signature(Descriptor layer) throws InvalidPackageException {
        Path kept = signaturePath(layer.digest().toString());
        dropIfOfOtherSize(kept, layer.size());
        return downloads.download(layer, kept, false, null);
    }

    /** The package's signature on disk, downloaded first when it is not there; empty for an unsigned package. */
    Optional<Path> signature(CachedPackage c) throws InvalidPackageException {
        if (c.signatureDigest() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(signature(new Descriptor(OciPackageLayout.SIGNATURE_MEDIA_TYPE, Digest.parse(c.signatureDigest()),
                    c.signatureSize(), Map.of())));
        } catch (InvalidPackageException e) {
            throw refused(c, e);
        }
    }

    /**
     * Removes a kept blob whose length is not the index's size, so the download that follows (checked
     * against that size) decides. Its digest held when it was kept, but an index persisted by a Wharf
     * that did not check sizes may give the manifest's size, and the routes announce the index's size
     * as their Content-Length: served as it was, the client got a body cut short of it.
     */
    private static void dropIfOfOtherSize(Path kept, long size) {
        if (Files.isRegularFile(kept) && !keptOfSize(kept, size)) {
            try {
                Files.deleteIfExists(kept);
            } catch (IOException e) {
                throw StorageException.writeFailed(kept.toString(), e);
            }
        }
    }

    private static boolean keptOfSize(Path kept, long size) {
        try {
            return Files.size(kept) == size;
        } catch (IOException e) {
            return false;
        }
    }

    private static Descriptor zipLayer(CachedPackage c) {
        return new Descriptor(OciPackageLayout.ZIP_MEDIA_TYPE, Digest.parse(c.zipDigest()), c.zipSize(), Map.of());
    }

    /**
     * The package's zip from disk, downloaded first when it is not there (and, for an entry from its
     * config, checked): what is served must be what the index says, and a blob broken in the registry
     * fails before the answer's first byte, where {@link BackedOffBlobs} counts it, rather than halfway
     * through a body streamed from the store. It is checked against the index's size, which the zip
     * route announces as its Content-Length: a length that differs is refused before the first byte (a
     * file kept, or an index persisted, by a Wharf that did not check sizes; a registry announcing
     * another length), else where it shows, so a client never gets a body cut short of its
     * Content-Length unexplained.
     */
    ChunkSource readZip(CachedPackage c) throws IOException {
        Path p = zipPath(c.zipDigest());
        if (!Files.isRegularFile(p)) {
            try {
                p = zip(c);
            } catch (InvalidPackageException e) {
                throw unusable(c, e);
            }
        }
        return SizeCheckedChunks.of(FileChunks.trusted(FileChannel.open(p, StandardOpenOption.READ)), zipLayer(c), keptWhere);
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
                    if (!keep.contains(p) && !downloads.isInFlight(p)) {
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
}
