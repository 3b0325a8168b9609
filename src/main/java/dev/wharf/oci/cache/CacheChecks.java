package dev.wharf.oci.cache;

import com.github.benmanes.caffeine.cache.Cache;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Cache reads for the checks a ready answer makes with every request (is what it was built from
 * still cached, unchanged?). Such a check runs on a selector thread, up to six reads a request.
 *
 * <p>A plain {@code getIfPresent} records each read for the cache's eviction policy and its
 * statistics, and drains those records on the reading thread every few dozen reads. Measured on
 * boring-registry's module versions, that bookkeeping was 0.55 of the check's 0.9 µs a request
 * (bench/RESULTS.md, session 26). A peek reads the entry without it; an expired entry is still
 * absent. One peek in {@value #SAMPLE}, drawn at random, reads as before: the policy still sees
 * which entries are read most, since a uniform sample keeps their order, and the hit statistics
 * keep counting, one check in {@value #SAMPLE}.
 *
 * <p>A peek never starts a refresh ahead of expiry ({@code refreshAfterWrite}): a cache that
 * refreshes must read as before when its entry is due (see {@code CachingArtifactStore}).
 */
public final class CacheChecks {
    static final int SAMPLE = 64;

    private CacheChecks() {
    }

    /** The cached value of {@code key}, or null when absent or expired; read quietly, but for one read in {@value #SAMPLE}. */
    public static <K, V> @Nullable V peek(Cache<K, V> cache, K key) {
        return peek(cache, key, ThreadLocalRandom.current().nextInt(SAMPLE) == 0);
    }

    /** {@code recorded}: read as {@code getIfPresent} does, for the policy and the statistics. */
    static <K, V> @Nullable V peek(Cache<K, V> cache, K key, boolean recorded) {
        return recorded ? cache.getIfPresent(key) : cache.policy().getIfPresentQuietly(key);
    }
}
