package dev.wharf.oci.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CacheChecksTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Cache<String, String> cache = Caffeine.newBuilder().ticker(nanos::get).expireAfterWrite(Duration.ofSeconds(10))
            .executor(Runnable::run).recordStats().build();

    @Test
    void aQuietPeekFindsTheEntryWithoutCountingTheRead() {
        cache.put("a", "1");
        assertThat(CacheChecks.peek(cache, "a", false)).isEqualTo("1");
        assertThat(CacheChecks.peek(cache, "b", false)).isNull();
        assertThat(cache.stats().requestCount()).isZero();

        assertThat(CacheChecks.peek(cache, "a", true)).isEqualTo("1");
        assertThat(CacheChecks.peek(cache, "b", true)).isNull();
        assertThat(cache.stats().hitCount()).isEqualTo(1);
        assertThat(cache.stats().missCount()).isEqualTo(1);
    }

    @Test
    void anExpiredEntryIsAbsentToAQuietPeekToo() {
        cache.put("a", "1");
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(CacheChecks.peek(cache, "a", false)).isNull();
        assertThat(CacheChecks.peek(cache, "a", true)).isNull();
    }

    @Test
    void aboutOnePeekInTheSampleIsCountedSoThatThePolicyStillSeesTheReads() {
        cache.put("a", "1");
        int peeks = 64_000;
        for (int i = 0; i < peeks; i++) {
            assertThat(CacheChecks.peek(cache, "a")).isEqualTo("1");
        }
        // Expected 1 000 (one in 64); the binomial's standard deviation is about 31.
        assertThat(cache.stats().hitCount()).isBetween(800L, 1_200L);
    }
}
