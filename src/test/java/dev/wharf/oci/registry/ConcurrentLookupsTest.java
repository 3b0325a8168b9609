package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.StorageException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ConcurrentLookupsTest {

    @Test
    void answersKeepTheInputOrderAndSeveralRunAtOnce() {
        CountDownLatch fourInFlight = new CountDownLatch(4);
        try (ConcurrentLookups lookups = new ConcurrentLookups(4)) {
            List<Integer> inputs = IntStream.range(0, 100).boxed().toList();
            List<String> answers = lookups.map(inputs, i -> {
                fourInFlight.countDown();
                try {
                    // Only returns early when four lookups overlapped; one at a time would wait 5 s each.
                    assertThat(fourInFlight.await(5, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return "answer " + i;
            });
            assertThat(answers).containsExactlyElementsOf(inputs.stream().map(i -> "answer " + i).toList());
        }
    }

    @Test
    void theFirstFailureIsThrownAsItWasAndStopsTheRest() {
        AtomicInteger done = new AtomicInteger();
        try (ConcurrentLookups lookups = new ConcurrentLookups(2)) {
            assertThatThrownBy(() -> lookups.map(IntStream.range(0, 1000).boxed().toList(), i -> {
                if (i == 10) {
                    throw new StorageException(StorageException.Kind.UNREACHABLE, "registry down");
                }
                done.incrementAndGet();
                return i;
            })).isInstanceOf(StorageException.class).hasMessage("registry down");
        }
        assertThat(done.get()).isLessThan(100);
    }

    @Test
    void zeroOrOneInputRunsOnTheCallersThread() {
        try (ConcurrentLookups lookups = new ConcurrentLookups(4)) {
            Thread caller = Thread.currentThread();
            assertThat(lookups.map(List.of("a"), s -> Thread.currentThread() == caller)).containsExactly(true);
            assertThat(lookups.map(List.<String>of(), s -> s)).isEmpty();
        }
    }
}
