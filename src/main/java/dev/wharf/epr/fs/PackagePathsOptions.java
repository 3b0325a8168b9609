package dev.wharf.epr.fs;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How the file-system indexer reads its package paths: EPR's {@code -package-paths-workers} (how many
 * packages are read at once) and {@code -package-paths-enable-watcher} (re-read when something in a
 * path changes, once the path has been quiet for {@code debounce}, as EPR waits one second).
 */
public record PackagePathsOptions(int workers, boolean watch, Duration debounce, ThreadFactory readers) {
    public PackagePathsOptions {
        if (workers <= 0) {
            throw new IllegalArgumentException("package-paths-workers must be greater than 0");
        }
        if (debounce.isNegative()) {
            throw new IllegalArgumentException("the watcher's debounce must not be negative");
        }
    }

    /** EPR's defaults: one worker per processor, no watcher, a one-second debounce. */
    public static PackagePathsOptions defaults() {
        return new PackagePathsOptions(Runtime.getRuntime().availableProcessors(), false, Duration.ofSeconds(1), daemons());
    }

    public PackagePathsOptions withWorkers(int n) {
        return new PackagePathsOptions(n, watch, debounce, readers);
    }

    public PackagePathsOptions withWatcher(boolean on) {
        return new PackagePathsOptions(workers, on, debounce, readers);
    }

    public PackagePathsOptions withDebounce(Duration d) {
        return new PackagePathsOptions(workers, watch, d, readers);
    }

    /** Where the reading threads come from; a test counts them. */
    public PackagePathsOptions withReaders(ThreadFactory f) {
        return new PackagePathsOptions(workers, watch, debounce, f);
    }

    private static ThreadFactory daemons() {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, "epr-package-reader-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
