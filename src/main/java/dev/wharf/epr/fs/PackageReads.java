package dev.wharf.epr.fs;

import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.index.IndexerException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The reads of one pass over the package paths, {@code -package-paths-workers} at a time. */
final class PackageReads {
    private PackageReads() {
    }

    /** One package to read: a zip or a folder. */
    record Read(Path from, Callable<Optional<IndexedPackage>> task) {
    }

    /** Every read, {@code workers} at a time; the results in the order of {@code reads}. */
    static List<Optional<IndexedPackage>> readAll(List<Read> reads, PackagePathsOptions options, List<Path> paths) throws IndexerException {
        if (reads.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(options.workers(), reads.size()), options.readers());
        try {
            List<Future<Optional<IndexedPackage>>> futures = new ArrayList<>();
            for (Read r : reads) {
                futures.add(pool.submit(r.task()));
            }
            List<Optional<IndexedPackage>> results = new ArrayList<>();
            for (Future<Optional<IndexedPackage>> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IndexerException("interrupted while reading package paths " + paths, e);
        } catch (ExecutionException e) {
            throw new IndexerException("reading package paths " + paths + " failed: " + e.getCause(), e);
        } finally {
            pool.shutdownNow();
        }
    }
}
