package dev.wharf.terraform.discovery;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.wharf.oci.Generation;
import dev.wharf.oci.Generations;
import dev.wharf.oci.Stamped;
import dev.wharf.oci.StorageException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One value built from storage and answered from memory, rebuilt in the background once
 * {@code ttl} old; the request that finds it old still gets it and starts the rebuild. A zero
 * {@code ttl} (caching off) builds it for every request.
 *
 * <p>Each content has its own {@link Generation}, and a rebuild that finds the same content keeps
 * it: pages built from a snapshot stay ready across rebuilds until something really changed.
 *
 * <p>A rebuild that fails keeps the snapshot it had and is tried again {@code ttl} later. The
 * registry's failures (down, or answering nonsense) are said in one line; anything else is a defect
 * and is logged with its stack trace. Left to the cache, the failure went to
 * java.util.logging as a stack trace outside Wharf's log format (and its JSON), and every request
 * after it started another rebuild, each with its own trace, for as long as the registry was away.
 */
final class SnapshotCache<T> {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotCache.class);
    private static final String KEY = "all";
    private final Generations generations = new Generations();
    private final LoadingCache<String, Stamped<T>> cache;

    /** @param what what the snapshot holds, as its log line names it ("the module catalog") */
    SnapshotCache(String what, Supplier<T> build, Duration ttl, Ticker ticker, Executor rebuilder) {
        // Caffeine's upkeep runs on the thread that reads, as in CachingArtifactStore (where it says why); only the
        // rebuild goes to the rebuilder (asyncReload below).
        Caffeine<Object, Object> builder = Caffeine.newBuilder().maximumSize(1).ticker(ticker).executor(Runnable::run);
        CacheLoader<String, Stamped<T>> loader = new CacheLoader<>() {
            @Override
            public Stamped<T> load(String key) {
                return new Stamped<>(build.get(), generations.next());
            }

            @Override
            public CompletableFuture<Stamped<T>> asyncReload(String key, Stamped<T> old, Executor upkeep) {
                return CompletableFuture.supplyAsync(() -> reload(key, old), rebuilder);
            }

            @Override
            public Stamped<T> reload(String key, Stamped<T> old) {
                T value;
                try {
                    value = build.get();
                } catch (StorageException e) {
                    LOG.warn("{} could not be rebuilt; lists keep answering from the previous one, and the next try is in {}: {}",
                            what, readable(ttl), e.getMessage());
                    return old;
                } catch (RuntimeException e) {
                    // Not the registry: a defect, whose stack trace is what finds it.
                    LOG.error("{} could not be rebuilt; lists keep answering from the previous one, and the next try is in {}",
                            what, readable(ttl), e);
                    return old;
                }
                return value.equals(old.value()) ? old : new Stamped<>(value, generations.next());
            }
        };
        this.cache = (ttl.isZero() || ttl.isNegative() ? builder.expireAfterWrite(Duration.ZERO) : builder.refreshAfterWrite(ttl)).build(loader);
    }

    private static String readable(Duration ttl) {
        return ttl.toMillis() % 1000 == 0 ? ttl.toSeconds() + " s" : ttl.toMillis() + " ms";
    }

    Stamped<T> get() {
        return cache.get(KEY);
    }

    /** Whether the snapshot of this generation is still the one held, told from memory alone: never waits. */
    boolean isCurrent(Generation generation) {
        Stamped<T> held = cache.getIfPresent(KEY);
        return held != null && held.generation().equals(generation);
    }
}
