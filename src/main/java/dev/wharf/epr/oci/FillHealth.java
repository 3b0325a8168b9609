package dev.wharf.epr.oci;

import dev.wharf.oci.StorageException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Why the fill behind the index has not fetched every blob of the packages listed from their configs,
 * for the index's health, which says "degraded" with it: the registry failed (the round stopped), or
 * blobs broken in the registry were skipped and wait for their next try. Each is logged once: a
 * registry failure until a round gets through, a broken blob until it is fetched or no longer listed.
 */
final class FillHealth {
    private static final Logger LOG = LoggerFactory.getLogger(FillHealth.class);

    private final Supplier<String> source;
    private final FillListener listener;
    private volatile @Nullable String registryError;
    /** By tag, what its last failure said; written by the fill and by requests that meet a broken blob first. */
    private volatile Map<String, String> broken = Map.of();

    /** {@code source}: the registry and repository, for the log; {@code listener}: told of every failure (metrics). */
    FillHealth(Supplier<String> source, FillListener listener) {
        this.source = source;
        this.listener = listener;
    }

    /** The registry failed for {@code entry}'s blobs: the round stopped there, and is tried again. */
    void registryFailed(CachedPackage entry, StorageException e) {
        listener.failed(FillListener.Failure.REGISTRY);
        if (registryError == null) {
            LOG.warn("cannot fetch the blobs of {} from {} behind the index; trying again: {}", entry.tag(), source.get(), e.getMessage());
        }
        registryError = "cannot fetch the blobs of " + entry.tag() + ": " + e.getMessage();
    }

    /** {@code entry}'s blobs are broken in the registry: skipped, tried again in {@code retryIn}; {@code again}: it failed before. The fill's thread or a request's. */
    synchronized void blobFailed(CachedPackage entry, StorageException e, Duration retryIn, boolean again) {
        listener.failed(kindOf(e));
        if (again) {
            LOG.debug("the blobs of {} still fail; next try in {}: {}", entry.tag(), retryIn, e.getMessage());
        } else {
            LOG.warn("cannot fetch the blobs of {} from {} behind the index; skipped, the other packages' are fetched, and these tried again"
                    + " in {}, then less and less often while they fail: {}", entry.tag(), source.get(), retryIn, e.getMessage());
        }
        Map<String, String> now = new TreeMap<>(broken);
        now.put(entry.tag(), "cannot fetch the blobs of " + entry.tag() + ": " + e.getMessage());
        broken = now;
    }

    /**
     * The zip of a new tag read from its zip is broken in the registry: counted as a listed package's blob
     * is. The tag is not listed, so the health stays; the refresh that left it out says why.
     */
    void unreadBlobFailed(StorageException e) {
        listener.failed(kindOf(e));
    }

    private static FillListener.Failure kindOf(StorageException e) {
        return e.kind() == StorageException.Kind.NOT_FOUND ? FillListener.Failure.BLOB_MISSING : FillListener.Failure.BLOB_CORRUPT;
    }

    /**
     * A download of a listed package was refused ({@code kind}: its zip failed its check against the config,
     * or a blob passed {@code -max-package-size}), or a new tag's blob passed that size, and the package is
     * left out (the indexer logs why): counted once per package left out, however many threads met it.
     */
    void refused(FillListener.Failure kind) {
        listener.failed(kind);
    }

    /** A round went through every package: the registry answered; {@code stillBroken} are the tags skipped. */
    synchronized void roundEnded(Set<String> stillBroken) {
        registryError = null;
        Map<String, String> now = new TreeMap<>(broken);
        now.keySet().retainAll(stillBroken);
        broken = now;
    }

    /** Why blobs are missing, or empty when the last round fetched them all. */
    Optional<String> error() {
        String registry = registryError;
        if (registry != null) {
            return Optional.of(registry);
        }
        Map<String, String> b = broken;
        if (b.isEmpty()) {
            return Optional.empty();
        }
        String first = b.values().iterator().next();
        return Optional.of(b.size() == 1 ? first : first + " (and the blobs of " + (b.size() - 1) + " more packages: "
                + String.join(", ", b.keySet().stream().skip(1).toList()) + ")");
    }
}
