package dev.wharf.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TagLocksTest {
    private final TagLocks locks = new TagLocks();

    @Test
    void oneTagWaitsForItsHolderAndOtherTagsDoNot() throws Exception {
        CompletableFuture<Void> sameTag;
        try (TagLocks.Held held = locks.hold("acme/app", "v1")) {
            assertThat(CompletableFuture.runAsync(() -> locks.hold("acme/app", "v2").close()).get(10, TimeUnit.SECONDS))
                    .as("another tag of the same repository").isNull();
            assertThat(CompletableFuture.runAsync(() -> locks.hold("acme/other", "v1").close()).get(10, TimeUnit.SECONDS))
                    .as("the same tag in another repository").isNull();
            sameTag = CompletableFuture.runAsync(() -> locks.hold("acme/app", "v1").close());
            awaitWaiters(2);
            assertThat(sameTag).as("the same tag while held").isNotDone();
        }
        sameTag.get(10, TimeUnit.SECONDS);
        assertThat(locks.size()).as("locks left once nobody holds or waits").isZero();
    }

    /** Until the holder and one waiter share the lock. */
    private void awaitWaiters(int users) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (locks.users("acme/app", "v1") < users) {
            assertThat(System.nanoTime()).as("a second user of the lock within 10 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
