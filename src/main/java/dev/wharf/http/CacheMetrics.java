package dev.wharf.http;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.util.Map;

/** {@code cache_gets_total{cache,result}}, {@code cache_size{cache}}, ... for each named Caffeine cache (built with {@code recordStats()}). */
public final class CacheMetrics {
    private CacheMetrics() {
    }

    public static void bindTo(MeterRegistry registry, Map<String, Cache<?, ?>> caches) {
        caches.forEach((name, cache) -> CaffeineCacheMetrics.monitor(registry, cache, name));
    }
}
