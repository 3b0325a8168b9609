package dev.wharf.cli.epr;

import dev.wharf.epr.index.Indexer;
import dev.wharf.epr.index.IndexerException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.slf4j.Logger;

/**
 * The first index, before the process is ready (or, with {@code -dry-run}, instead of serving).
 * Package folders that hold nothing are refused unless the watcher may fill them later or the proxy
 * mode can serve remote packages; an OCI repository is served even when it is empty.
 */
final class FirstIndex {
    private final List<Path> packagePaths;
    private final boolean oci;
    private final boolean watched;
    private final PrintWriter err;
    private final Logger log;

    FirstIndex(List<Path> packagePaths, boolean oci, boolean watched, PrintWriter err, Logger log) {
        this.packagePaths = packagePaths;
        this.oci = oci;
        this.watched = watched;
        this.err = err;
        this.log = log;
    }

    /**
     * {@link #run} on a thread of its own, started now: the server's listeners are built meanwhile, so the
     * index's first registry calls (learning the registry's protocol, the tag list) no longer wait for them.
     */
    Running start(Indexer indexer, boolean proxy) {
        FutureTask<Boolean> task = new FutureTask<>(() -> run(indexer, proxy));
        Thread thread = new Thread(task, "epr-first-index");
        // Daemon: a process whose listener failed exits without waiting for an index nobody will serve.
        thread.setDaemon(true);
        thread.start();
        return new Running(task);
    }

    /** The first index under way on its own thread. */
    static final class Running {
        private final FutureTask<Boolean> task;

        private Running(FutureTask<Boolean> task) {
            this.task = task;
        }

        /**
         * What {@link #run} answered, once it has: {@code READY} or {@code NOTHING_TO_SERVE}; {@code STOPPED}
         * at once when {@link #stop} came first. Its failures are thrown as they were.
         */
        Outcome await() throws InterruptedException {
            try {
                return task.get() ? Outcome.READY : Outcome.NOTHING_TO_SERVE;
            } catch (CancellationException e) {
                return Outcome.STOPPED;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            }
        }

        /**
         * The process is asked to stop: {@link #await} answers {@code STOPPED} now, and the index's thread is
         * interrupted, so it does not wait out a registry that does not answer.
         */
        void stop() {
            task.cancel(true);
        }
    }

    /** How the first index ended for the process. */
    enum Outcome { READY, NOTHING_TO_SERVE, STOPPED }

    /** False (with the reason printed) when there is nothing to serve. */
    boolean run(Indexer indexer, boolean proxy) {
        try {
            indexer.start();
        } catch (IndexerException e) {
            err.println("package-registry: " + e.getMessage());
            return false;
        }
        if (indexer.packages().isEmpty() && proxy) {
            log.info("No local packages found, but the proxy mode can access remote ones.");
        } else if (indexer.packages().isEmpty() && !oci) {
            if (!watched) {
                err.println("package-registry: No local packages found in " + packagePaths);
                return false;
            }
            log.warn("No packages found at startup in {}: serving nothing until the watcher sees some", packagePaths);
        }
        log.info("{} package manifests loaded", indexer.packages().size());
        return true;
    }
}
