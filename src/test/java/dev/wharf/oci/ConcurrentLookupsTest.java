package dev.wharf.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.testing.Overlaps;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ConcurrentLookupsTest {

    @Test
    void answersKeepTheInputOrderAndSeveralRunAtOnce() {
        Overlaps fourInFlight = new Overlaps(4);
        try (ConcurrentLookups lookups = new ConcurrentLookups("test-lookup", 4)) {
            List<Integer> inputs = IntStream.range(0, 100).boxed().toList();
            List<String> answers = lookups.map(inputs, i -> {
                fourInFlight.arrive();
                return "answer " + i;
            });
            assertThat(fourInFlight.allOverlapped()).as("every lookup overlapped three others").isTrue();
            assertThat(answers).containsExactlyElementsOf(inputs.stream().map(i -> "answer " + i).toList());
        }
    }

    @Test
    void theFirstFailureIsThrownAsItWasAndStopsTheRest() {
        AtomicReference<Thread> failing = new AtomicReference<>();
        AtomicInteger doneAfterTheFailure = new AtomicInteger();
        try (ConcurrentLookups lookups = new ConcurrentLookups("test-lookup", 2)) {
            assertThatThrownBy(() -> lookups.map(IntStream.range(0, 1000).boxed().toList(), i -> {
                if (i == 10) {
                    failing.set(Thread.currentThread());
                    throw new StorageException(StorageException.Kind.UNREACHABLE, "registry down");
                }
                if (i > 10) {
                    // Hold every later lookup until the failing worker has left its task, so the
                    // count below does not depend on how the scheduler interleaves the two threads.
                    awaitIdle(failing);
                    doneAfterTheFailure.incrementAndGet();
                }
                return i;
            })).isInstanceOf(StorageException.class).hasMessage("registry down");
        }
        // The other worker finishes the lookup it was in, then stops.
        assertThat(doneAfterTheFailure.get()).isLessThanOrEqualTo(1);
    }

    private static void awaitIdle(AtomicReference<Thread> worker) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (worker.get() == null || worker.get().getState() == Thread.State.RUNNABLE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the failing worker never went idle");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    @Test
    void itsThreadsEndWhenThereIsNoMoreWork() {
        try (ConcurrentLookups lookups = new ConcurrentLookups("idle-lookup", 4)) {
            assertThat(lookups.map(IntStream.range(0, 50).boxed().toList(), i -> i * 2)).hasSize(50);
            assertThat(threadsNamed("idle-lookup-")).isPositive();
            // A server sits idle between its bursts of lookups: parked threads would keep their stacks.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (threadsNamed("idle-lookup-") > 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
            assertThat(threadsNamed("idle-lookup-")).as("threads left 20 s after the last lookup").isZero();
            // And they come back for the next burst.
            assertThat(lookups.map(List.of(1, 2, 3), i -> i + 1)).containsExactly(2, 3, 4);
        }
    }

    private static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }

    @Test
    void zeroOrOneInputRunsOnTheCallersThread() {
        try (ConcurrentLookups lookups = new ConcurrentLookups("test-lookup", 4)) {
            Thread caller = Thread.currentThread();
            assertThat(lookups.map(List.of("a"), s -> Thread.currentThread() == caller)).containsExactly(true);
            assertThat(lookups.map(List.<String>of(), s -> s)).isEmpty();
        }
    }
}
