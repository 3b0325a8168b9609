package dev.wharf.epr.oci;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows a published index: {@code index.json} written and the cache pruned to the packages
 * it uses. A refresh does both at once. The first index hands them to a thread of their own, so
 * the process is ready without waiting for them: on a 2-core machine they were 50–65 ms of
 * package-registry's cold start, serialising 200 packages' documents with Jackson's serializers
 * not yet built (bench/RESULTS.md, session 24).
 *
 * <p>Every pass is numbered under the indexer's lock, which a deferred pass takes as well: a
 * deferred pass that a refresh overtook does nothing, so it never prunes the blobs of a newer
 * index nor writes over a newer {@code index.json}. {@link #close} waits for a deferred pass, so
 * a graceful stop (and {@code -dry-run}) leaves the index persisted.
 */
final class IndexPersistence implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IndexPersistence.class);
    /** Long enough for an index of tens of thousands of versions; a stop is not held longer by a stuck disk. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private final IndexFile file;
    private final PackageBlobCache blobs;
    private final Object lock;
    private long pass;  // guarded by lock
    // Written under lock, read by close() without it: a refresh holding the lock must not hold up a stop.
    private volatile @Nullable Thread deferred;

    /** @param lock the indexer's refresh lock, held by every caller */
    IndexPersistence(IndexFile file, PackageBlobCache blobs, Object lock) {
        this.file = file;
        this.blobs = blobs;
        this.lock = lock;
    }

    /** Persists {@code index} and prunes to {@code used} before returning; the caller holds the lock. */
    void now(PersistedIndex index, List<CachedPackage> used) {
        pass++;
        persist(index, used);
    }

    /** Persists {@code index} and prunes to {@code used} on a thread of its own; the caller holds the lock. */
    void later(PersistedIndex index, List<CachedPackage> used) {
        long mine = ++pass;
        Thread thread = new Thread(() -> {
            synchronized (lock) {
                if (pass != mine) {
                    return;
                }
                try {
                    persist(index, used);
                } catch (RuntimeException e) {
                    // A fault of Wharf's own: logged with its trace, as a refresh's would be; the index served stays right.
                    LOG.error("persisting the first index to {} failed unexpectedly", file.path(), e);
                }
            }
        }, "epr-index-persist");
        // Daemon: a process that exits without closing the indexer loses only the file; its next start reads the repository again.
        thread.setDaemon(true);
        deferred = thread;
        thread.start();
    }

    private void persist(PersistedIndex index, List<CachedPackage> used) {
        file.write(index);
        blobs.retainOnly(used);
    }

    /** Waits for a deferred pass still under way (at most {@link #CLOSE_WAIT}); the caller must not hold the lock. */
    @Override
    public void close() {
        try {
            if (!awaitDeferred()) {
                LOG.warn("stopping before {} was written; the next start reads the repository again", file.path());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether no deferred pass is under way any more, after waiting for one at most {@link #CLOSE_WAIT}. */
    boolean awaitDeferred() throws InterruptedException {
        Thread thread = deferred;
        if (thread == null) {
            return true;
        }
        thread.join(CLOSE_WAIT.toMillis());
        return !thread.isAlive();
    }
}
