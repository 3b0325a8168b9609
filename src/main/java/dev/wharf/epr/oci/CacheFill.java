package dev.wharf.epr.oci;

import dev.wharf.epr.pkg.InvalidPackageException;
import dev.wharf.oci.StorageException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Downloads, behind the index, the blobs the cache lacks: those of the packages indexed from their
 * configs (the first index is served from the manifests alone, and the zips, each checked against its
 * config on the way in, and signatures follow on one thread of their own, so the packages are also
 * served through a later registry outage, as packages read from their zips are), and those of packages
 * read from their zips that the cache lost since. A zip that fails its check is reported by
 * {@link PackageBlobCache} itself. A registry that fails ends the round, is told (the index's health
 * says so), and the round is tried again {@link #RETRY} later, or at the next index, whichever
 * comes first ({@link FillTimer}: real time in the server, a test's hand in tests). A blob broken
 * in the registry (another digest or length than its manifest gives, or gone) is a fault of that
 * blob alone: it is skipped, told, and the round goes on with the other packages; it is tried again
 * after a wait that grows while it keeps failing ({@link BlobBackoff}). Closing interrupts a
 * download in flight; that ends the round quietly, as no failure of the registry.
 */
final class CacheFill implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CacheFill.class);
    static final Duration RETRY = Duration.ofSeconds(10);

    private final BackedOffBlobs blobs;
    private final BlobBackoff backoff;
    private final FillHealth health;
    private final FillTimer timer;
    /** The next round asked for by a failure; touched on the fill's thread only. */
    private FillTimer.@Nullable Pending retry;
    private final AtomicBoolean roundQueued = new AtomicBoolean();
    private volatile List<CachedPackage> latest = List.of();
    private volatile boolean closing;
    private volatile @Nullable Thread worker;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "epr-oci-fill");
        t.setDaemon(true);
        // A hint only (Linux JVMs ignore priorities by default): what keeps the fill from crowding the
        // answers is that it is one thread, so it takes at most one core.
        t.setPriority(Thread.MIN_PRIORITY);
        worker = t;
        return t;
    });

    /**
     * @param blobs fetched through the back-off, which counts (and tells {@code health} of) a blob broken in the registry
     * @param backoff when a broken blob is due again, shared with the requests that fetch blobs
     * @param health told, on the fill's thread, of the registry's failures and of the rounds that went through
     * @param timer runs the round asked for after a failure, when it is due
     */
    CacheFill(BackedOffBlobs blobs, BlobBackoff backoff, FillHealth health, FillTimer timer) {
        this.blobs = blobs;
        this.backoff = backoff;
        this.health = health;
        this.timer = timer;
    }

    /** Fetches, in the background, what {@code entries} (the index now served) still lack on disk. */
    void fill(List<CachedPackage> entries) {
        latest = entries;
        // One round waiting is enough: it reads the latest list when it runs.
        if (roundQueued.compareAndSet(false, true)) {
            thread.execute(() -> {
                roundQueued.set(false);
                round();
            });
        }
    }

    /**
     * Runs {@code task} on the fill's thread: at once when called there (a round that met a refused
     * zip, so that the round's end sees it done), else after what was asked before it.
     */
    void onFillThread(Runnable task) {
        if (Thread.currentThread() == worker) {
            task.run();
        } else {
            thread.execute(task);
        }
    }

    private void round() {
        List<CachedPackage> entries = latest;
        backoff.retainOnly(entries);
        for (CachedPackage entry : entries) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            if (blobs.holds(entry)) {
                backoff.succeeded(entry);
                continue;
            }
            if (!backoff.due(entry)) {
                continue;
            }
            try {
                blobs.zip(entry);
                blobs.signature(entry);
                backoff.succeeded(entry);
            } catch (InvalidPackageException e) {
                // Reported by the cache, which leaves the package out; the others are still fetched.
                LOG.debug("{} refused: {}", entry.tag(), e.getMessage());
            } catch (StorageException e) {
                if (closing) {
                    // close() interrupted the download, and a registry client reports that as a failure:
                    // the process is stopping (or -dry-run is done), the registry did not fail.
                    LOG.debug("stopped while fetching the blobs of {}: {}", entry.tag(), e.getMessage());
                    return;
                }
                if (!BackedOffBlobs.isFaultOfTheBlob(e)) {
                    health.registryFailed(entry, e);
                    scheduleRetry(RETRY);
                    return;
                }
                // Counted and told by the back-off; the round goes on with the next package.
            }
        }
        health.roundEnded(backoff.waitingTags());
        backoff.nextDue().ifPresent(this::scheduleRetry);
    }

    /** Asks for a round {@code after} from now, unless one is asked for sooner already. */
    private void scheduleRetry(Duration after) {
        FillTimer.Pending pending = retry;
        // One not yet due; one that is due is this round, or runs right after it and is replaced.
        Duration left = pending == null ? Duration.ZERO : pending.left();
        if (!left.isNegative() && !left.isZero() && left.compareTo(after) <= 0) {
            return;
        }
        if (pending != null) {
            pending.cancel();
        }
        try {
            retry = timer.schedule(thread, after, this::round);
        } catch (RejectedExecutionException e) {
            // Closed meanwhile: nothing is fetched any more.
            retry = null;
        }
    }

    /** Waits until what was asked so far is done: for tests that look at the cache. */
    void await() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        thread.execute(done::countDown);
        done.await();
    }

    @Override
    public void close() {
        closing = true;
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
