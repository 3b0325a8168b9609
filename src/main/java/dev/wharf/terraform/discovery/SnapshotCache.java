package dev.wharf.terraform.discovery;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.wharf.oci.Generation;
import dev.wharf.oci.Generations;
import dev.wharf.oci.Stamped;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One value built from storage and answered from memory, rebuilt in the background once
 * {@code ttl} old; the request that finds it old still gets it and starts the rebuild. A zero
 * {@code ttl} (caching off) builds it for every request.
 *
 * <p>Each content has its own {@link Generation}, and a rebuild that finds the same content keeps
 * it: pages built from a snapshot stay ready across rebuilds until something really changed.
 */
final class SnapshotCache<T> {
    private static final String KEY = "all";
    private final Generations generations = new Generations();
    private final LoadingCache<String, Stamped<T>> cache;

    SnapshotCache(Supplier<T> build, Duration ttl, Ticker ticker, Executor rebuilder) {
        Caffeine<Object, Object> builder = Caffeine.newBuilder().maximumSize(1).ticker(ticker).executor(rebuilder);
        CacheLoader<String, Stamped<T>> loader = new CacheLoader<>() {
            @Override
            public Stamped<T> load(String key) {
                return new Stamped<>(build.get(), generations.next());
            }

            @Override
            public Stamped<T> reload(String key, Stamped<T> old) {
                T value = build.get();
                return value.equals(old.value()) ? old : new Stamped<>(value, generations.next());
            }
        };
        this.cache = (ttl.isZero() || ttl.isNegative() ? builder.expireAfterWrite(Duration.ZERO) : builder.refreshAfterWrite(ttl)).build(loader);
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
