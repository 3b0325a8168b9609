package dev.wharf.terraform.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.oci.Generation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Pages built from a snapshot stay ready across rebuilds that find the same content, and only those. */
class SnapshotCacheTest {
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicReference<List<String>> stored = new AtomicReference<>(List.of("acme/vpc/aws"));
    private final AtomicInteger builds = new AtomicInteger();

    private SnapshotCache<List<String>> cache(Duration ttl) {
        return new SnapshotCache<>(() -> {
            builds.incrementAndGet();
            return List.copyOf(stored.get());
        }, ttl, nanos::get, Runnable::run);
    }

    @Test
    void aRebuildWithTheSameContentKeepsTheGenerationAndAChangeGivesANewOne() {
        SnapshotCache<List<String>> cache = cache(Duration.ofSeconds(30));
        Generation first = cache.get().generation();
        assertThat(cache.isCurrent(first)).isTrue();

        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        cache.get();
        assertThat(builds).hasValue(2);
        assertThat(cache.isCurrent(first)).as("rebuilt with the same content").isTrue();

        stored.set(List.of("acme/vpc/aws", "acme/eks/aws"));
        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        cache.get();
        Generation second = cache.get().generation();
        assertThat(cache.get().value()).hasSize(2);
        assertThat(second).isNotEqualTo(first);
        assertThat(cache.isCurrent(first)).isFalse();
        assertThat(cache.isCurrent(second)).isTrue();
    }

    @Test
    void withCachingOffNothingIsEverCurrent() {
        SnapshotCache<List<String>> cache = cache(Duration.ZERO);
        Generation first = cache.get().generation();
        assertThat(cache.isCurrent(first)).isFalse();
        cache.get();
        assertThat(builds).hasValue(2);
    }
}
