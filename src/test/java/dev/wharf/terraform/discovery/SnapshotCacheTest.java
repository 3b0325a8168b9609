package dev.wharf.terraform.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.wharf.oci.Generation;
import dev.wharf.oci.StorageException;
import dev.wharf.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Pages built from a snapshot stay ready across rebuilds that find the same content, and only those. */
class SnapshotCacheTest {
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicReference<List<String>> stored = new AtomicReference<>(List.of("acme/vpc/aws"));
    private final AtomicInteger builds = new AtomicInteger();
    private final AtomicBoolean registryDown = new AtomicBoolean();

    private SnapshotCache<List<String>> cache(Duration ttl) {
        return new SnapshotCache<>("the test catalog", () -> {
            builds.incrementAndGet();
            if (registryDown.get()) {
                throw new StorageException(StorageException.Kind.UNREACHABLE, "registry 127.0.0.1:5000: cannot connect");
            }
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
    void aRebuildThatFailsKeepsTheSnapshotSaysSoOnceAndWaitsATtlBeforeTheNextTry() {
        SnapshotCache<List<String>> cache = cache(Duration.ofSeconds(30));
        Generation first = cache.get().generation();
        List<LogRecord> julRecords = new ArrayList<>();
        Handler jul = new Handler() {
            @Override
            public void publish(LogRecord record) {
                julRecords.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger caffeine = java.util.logging.Logger.getLogger("com.github.benmanes.caffeine");
        caffeine.addHandler(jul);
        try (LogCapture log = LogCapture.of(SnapshotCache.class.getName())) {
            registryDown.set(true);
            nanos.addAndGet(Duration.ofSeconds(31).toNanos());
            for (int request = 0; request < 5; request++) {
                assertThat(cache.get().value()).containsExactly("acme/vpc/aws");
            }
            assertThat(builds).as("one failed rebuild for five requests").hasValue(2);
            assertThat(cache.isCurrent(first)).as("the snapshot it kept").isTrue();
            assertThat(log.lines(Level.WARN)).containsExactly("WARN " + SnapshotCache.class.getName()
                    + " the test catalog could not be rebuilt; lists keep answering from the previous one, and the next try is in 30 s:"
                    + " registry 127.0.0.1:5000: cannot connect");
            assertThat(julRecords).as("nothing through java.util.logging").isEmpty();

            registryDown.set(false);
            stored.set(List.of("acme/vpc/aws", "acme/eks/aws"));
            nanos.addAndGet(Duration.ofSeconds(29).toNanos());
            cache.get();
            assertThat(builds).as("no try before the ttl is up again").hasValue(2);
            nanos.addAndGet(Duration.ofSeconds(2).toNanos());
            cache.get();
            assertThat(cache.get().value()).hasSize(2);
            assertThat(cache.isCurrent(first)).isFalse();
        } finally {
            caffeine.removeHandler(jul);
        }
    }

    @Test
    void aRebuildThatFailsForAnotherReasonKeepsTheSnapshotAndLogsTheStackTrace() {
        AtomicBoolean broken = new AtomicBoolean();
        SnapshotCache<List<String>> cache = new SnapshotCache<>("the test catalog", () -> {
            if (broken.get()) {
                throw new IllegalStateException("a defect in the build");
            }
            return List.of("acme/vpc/aws");
        }, Duration.ofSeconds(30), nanos::get, Runnable::run);
        Generation first = cache.get().generation();
        try (LogCapture log = LogCapture.of(SnapshotCache.class.getName())) {
            broken.set(true);
            nanos.addAndGet(Duration.ofSeconds(31).toNanos());
            assertThat(cache.get().value()).containsExactly("acme/vpc/aws");
            assertThat(cache.isCurrent(first)).isTrue();
            assertThat(log.events()).singleElement().satisfies(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.ERROR);
                assertThat(event.getThrowableProxy()).as("the stack trace that finds the defect").isNotNull();
                assertThat(event.getThrowableProxy().getMessage()).isEqualTo("a defect in the build");
            });
        }
    }

    /** The UI and discovery rows check the snapshot with every request: only a due rebuild may go to the rebuilder. */
    @Test
    void checksOfASnapshotThatIsNotOldGiveTheRebuilderNothing() {
        java.util.Queue<Runnable> rebuilder = new java.util.ArrayDeque<>();
        SnapshotCache<List<String>> cache = new SnapshotCache<>("the test catalog", () -> List.copyOf(stored.get()),
                Duration.ofSeconds(30), nanos::get, rebuilder::add);
        Generation first = cache.get().generation();
        for (int request = 0; request < 10_000; request++) {
            assertThat(cache.isCurrent(first)).isTrue();
            cache.get();
        }
        assertThat(rebuilder).as("Caffeine's upkeep on the reading thread").isEmpty();

        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        cache.get();
        assertThat(rebuilder).as("the rebuild, once due").hasSize(1);
        rebuilder.remove().run();
        assertThat(cache.isCurrent(first)).isTrue();
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
