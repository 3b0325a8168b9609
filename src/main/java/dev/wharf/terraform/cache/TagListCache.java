package dev.wharf.terraform.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.wharf.oci.Generation;
import dev.wharf.oci.Stamped;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.cache.CacheChecks;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repositories' tag lists for {@link CachingArtifactStore}: each kept for the tag TTL from the
 * moment it was asked for, and read again in the background once three quarters of that time have
 * passed while it is still in use, the old list served meanwhile (never past its time).
 */
final class TagListCache {
    private static final Logger LOG = LoggerFactory.getLogger(TagListCache.class);
    private static final long REFRESH_IDLE_SECONDS = 5;

    /** A tag list and the ticker's time just before it was asked for: it is served until then plus the TTL. */
    private record Listed(Stamped<List<String>> tags, long askedAt) {
    }

    private final LoadingCache<String, Listed> lists;
    private final Ticker ticker;
    // How long after it was asked for a tag list is read ahead (Long.MAX_VALUE: never); a check of a
    // list due for it reads the cache as before, which is what starts the read ahead.
    private final long refreshAfterNanos;

    /**
     * @param ttl       how long a list is served (zero: never kept)
     * @param read      reads a repository's list from the store, stamped
     * @param refreshes where lists are read ahead of their expiry ({@link #refreshThreads()} but in tests)
     */
    TagListCache(Duration ttl, Function<String, Stamped<List<String>>> read, Ticker ticker, Executor refreshes) {
        long nanos = ttl.toNanos();
        this.ticker = ticker;
        this.refreshAfterNanos = nanos > 0 ? Math.max(1, nanos - nanos / 4) : Long.MAX_VALUE;
        this.lists = build(nanos, read, refreshes);
    }

    private LoadingCache<String, Listed> build(long ttl, Function<String, Stamped<List<String>>> read, Executor refreshes) {
        // Caffeine's own upkeep (its read buffers drained after every few dozen reads) runs on the thread that
        // read: handed to the executor, it woke a refresh thread every few dozen requests of figure 1, 7 % of a
        // core at 50 000 requests a second (bench/RESULTS.md, session 21). Only the read ahead, which waits
        // for the registry, goes to the refresh threads (asyncReload below).
        Caffeine<String, Listed> builder = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run).maximumSize(10_000).recordStats()
                .expireAfter(new Expiry<String, Listed>() {
                    @Override
                    public long expireAfterCreate(String repository, Listed listed, long currentTime) {
                        return Math.max(0, listed.askedAt() + ttl - currentTime);
                    }

                    // A refresh that failed puts back the old list with its old time: it still ends on time.
                    @Override
                    public long expireAfterUpdate(String repository, Listed listed, long currentTime, long currentDuration) {
                        return expireAfterCreate(repository, listed, currentTime);
                    }

                    @Override
                    public long expireAfterRead(String repository, Listed listed, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                });
        if (ttl > 0) {
            builder.refreshAfterWrite(Duration.ofNanos(refreshAfterNanos));
        }
        return builder.build(new CacheLoader<String, Listed>() {
            @Override
            public Listed load(String repository) {
                long askedAt = ticker.read();
                return new Listed(read.apply(repository), askedAt);
            }

            // Away from the thread that found the list due, which may be a selector thread.
            @Override
            public CompletableFuture<Listed> asyncReload(String repository, Listed old, Executor upkeep) {
                return CompletableFuture.supplyAsync(() -> reload(repository, old), refreshes);
            }

            /**
             * When the registry fails the read ahead, the old list stays until its own time runs out
             * (its time is in it), and the next try waits a refresh interval instead of coming with
             * every check: a failure thrown from here would be logged by Caffeine and tried again
             * with each request. The request that finds the list expired meets the failure and
             * reports it.
             */
            @Override
            public Listed reload(String repository, Listed old) {
                try {
                    return load(repository);
                } catch (StorageException e) {
                    LOG.debug("reading the tag list of {} ahead of its expiry failed; the cached list stays until then: {}",
                            repository, e.getMessage());
                    return old;
                }
            }
        });
    }

    /** Threads for reading tag lists ahead of expiry: a few, gone when there is nothing to read. */
    static Executor refreshThreads() {
        ThreadPoolExecutor threads = new ThreadPoolExecutor(2, 2, REFRESH_IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "wharf-tag-refresh");
            t.setDaemon(true);
            return t;
        });
        threads.allowCoreThreadTimeOut(true);
        return threads;
    }

    /** The cache itself, for its hit, miss and size metrics. */
    Cache<String, ?> cache() {
        return lists;
    }

    /** The repository's list: cached, or read from the store (a failure of that read is the caller's). */
    Stamped<List<String>> get(String repository) {
        return lists.get(repository).tags();
    }

    /** Whether the list cached for the repository, still within its time, has this generation. */
    boolean isCurrent(String repository, Generation generation) {
        Listed cached = CacheChecks.peek(lists, repository);
        if (cached != null && ticker.read() - cached.askedAt() >= refreshAfterNanos) {
            // Due for its read ahead, which only a recorded read starts.
            cached = lists.getIfPresent(repository);
        }
        return cached != null && cached.tags().generation().equals(generation);
    }

    /** Drops the repository's list: the next request reads the store. */
    void invalidate(String repository) {
        lists.invalidate(repository);
    }
}
