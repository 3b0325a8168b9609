package dev.wharf.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Proof that calls run side by side: each {@link #arrive} returns once {@code n} calls have arrived.
 * Calls made one at a time each give up after 10 s instead, and {@link #allOverlapped} says so.
 */
public final class Overlaps {
    private final CountDownLatch inFlight;
    private final AtomicBoolean allOverlapped = new AtomicBoolean(true);

    public Overlaps(int n) {
        this.inFlight = new CountDownLatch(n);
    }

    public void arrive() {
        inFlight.countDown();
        try {
            if (!inFlight.await(10, TimeUnit.SECONDS)) {
                allOverlapped.set(false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether every call so far found the others in flight. */
    public boolean allOverlapped() {
        return allOverlapped.get();
    }
}
