package dev.wharf.epr.oci;

import dev.wharf.epr.pkg.InvalidPackageException;
import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.ContentMismatchException;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.StorageException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The blobs of {@link PackageBlobCache} as the fill and the requests fetch them, with the blobs broken
 * in the registry backed off ({@link BlobBackoff}) for both alike. A request for a zip or signature
 * (or a file inside the zip) whose blob failed and waits for its next try is answered at once with a
 * failure of the same kind, saying when it failed and when it is tried again, instead of downloading
 * the blob whole once more to fail as before (a 502 for every request Fleet sent). A request that
 * meets the failure first counts it as the fill would, so the fill does not download it again right
 * after. Packages read from their zips too: the fill fetches their blobs again when the cache lost
 * them, and a request for one downloads it into the cache first, so both meet a broken blob here.
 */
final class BackedOffBlobs {
    private final PackageBlobCache blobs;
    private final BlobBackoff backoff;
    private final FillHealth health;

    @FunctionalInterface
    private interface Fetch<T, E extends Exception> {
        T get() throws E;
    }

    BackedOffBlobs(PackageBlobCache blobs, BlobBackoff backoff, FillHealth health) {
        this.blobs = blobs;
        this.backoff = backoff;
        this.health = health;
    }

    boolean holds(CachedPackage c) {
        return blobs.holds(c);
    }

    /** {@link PackageBlobCache#zip(CachedPackage)}, unless the zip waits for its next try. */
    Path zip(CachedPackage c) throws InvalidPackageException {
        return fetch(c, c.zipDigest(), "the zip", () -> blobs.zip(c));
    }

    /** {@link PackageBlobCache#readZip}, unless the zip is not on disk and waits for its next try. */
    ChunkSource readZip(CachedPackage c) throws IOException {
        return fetch(c, c.zipDigest(), "the zip", () -> blobs.readZip(c));
    }

    /**
     * The zip of a new tag read from its zip (no config), for the refresh that reads it: unless it waits for
     * its next try, {@link PackageBlobCache#zip(Descriptor)}, a blob broken in the registry being counted
     * and backed off by its digest as a listed package's blobs are.
     */
    Path unreadZip(String tag, Descriptor layer) throws InvalidPackageException {
        return unread(tag, layer, "the zip", () -> blobs.zip(layer));
    }

    /**
     * The signature of a new tag read from its zip, for the refresh that reads it, backed off by its digest as
     * {@link #unreadZip} backs off the zip: a signature broken in the registry had left the tag out for that refresh
     * alone, and the next refresh downloaded the zip and the signature whole again, counting nothing.
     */
    Path unreadSignature(String tag, Descriptor layer) throws InvalidPackageException {
        return unread(tag, layer, "the signature", () -> blobs.signature(layer));
    }

    /** Throws at once, without a download, while the blob {@code layer} of the tag not read yet {@code tag} waits. */
    void throwIfUnreadWaits(String tag, Descriptor layer, String what) {
        Optional<StorageException> paused = backoff.unreadPause(tag, layer.digest().toString(), what);
        if (paused.isPresent()) {
            throw paused.get();
        }
    }

    private Path unread(String tag, Descriptor layer, String what, Fetch<Path, InvalidPackageException> fetch)
            throws InvalidPackageException {
        String digest = layer.digest().toString();
        throwIfUnreadWaits(tag, layer, what);
        try {
            Path fetched = fetch.get();
            backoff.unreadFetched(digest);
            return fetched;
        } catch (InvalidPackageException e) {
            // Downloaded whole and refused (not a zip, too large): remembered with its tag, not fetched again.
            backoff.unreadFetched(digest);
            throw e;
        } catch (StorageException e) {
            if (isFaultOfTheBlob(e)) {
                backoff.unreadFailed(tag, digest, e);
                health.unreadBlobFailed(e);
            }
            throw e;
        }
    }

    /** Whether the blob {@code digest} (zip or signature) of a tag not read yet failed at its last try: its next failure is no news. */
    boolean unreadFailing(String digest) {
        return backoff.unreadFailing(digest);
    }

    /** Forgets the blobs of tags not read yet but {@code digests}, which the last refresh left out as broken. */
    void retainUnread(Set<String> digests) {
        backoff.retainUnread(digests);
    }

    /** {@link PackageBlobCache#signature}, unless the signature waits for its next try. */
    Optional<Path> signature(CachedPackage c) throws InvalidPackageException {
        String digest = c.signatureDigest();
        return digest == null ? blobs.signature(c) : fetch(c, digest, "the signature", () -> blobs.signature(c));
    }

    private <T, E extends Exception> T fetch(CachedPackage c, String digest, String what, Fetch<T, E> fetch) throws E {
        Optional<StorageException> paused = backoff.pause(c, digest, what);
        if (paused.isPresent()) {
            throw paused.get();
        }
        try {
            T fetched = fetch.get();
            backoff.fetched(c, digest);
            return fetched;
        } catch (StorageException e) {
            if (isFaultOfTheBlob(e)) {
                boolean again = backoff.failing(c);
                backoff.failed(c, digest, e).ifPresent(retryIn -> health.blobFailed(c, e, retryIn, again));
            }
            throw e;
        }
    }

    /**
     * Whether the registry answered for this blob with content that is not the blob's (another digest
     * or length than the manifest gives), or without it: the next blob may well be fine. A connection
     * cut, a timeout, a 5xx or a refused credential fail every blob alike.
     */
    static boolean isFaultOfTheBlob(StorageException e) {
        return e.kind() == StorageException.Kind.NOT_FOUND
                || (e.kind() == StorageException.Kind.CORRUPT && ContentMismatchException.isCauseOf(e));
    }
}
