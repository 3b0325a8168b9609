package dev.wharf.testing;

import dev.wharf.testing.FaultProxy.Fault;
import dev.wharf.testing.FaultProxy.Request;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * The fault in force and the requests it applies to, switched by the test's thread while the
 * proxy's connection threads read it; connections held by a fault wait on it to end.
 */
final class FaultSwitch {
    private final Object lock = new Object();
    private Fault fault = Fault.NONE;
    private Predicate<Request> applies = r -> true;
    private boolean closed;

    /** Puts {@code next} in force for the requests {@code selected} picks; returns the fault it replaced. */
    Fault set(Fault next, Predicate<Request> selected) {
        synchronized (lock) {
            Fault before = fault;
            fault = next;
            applies = selected;
            lock.notifyAll();
            return before;
        }
    }

    boolean refusing() {
        synchronized (lock) {
            return fault == Fault.REFUSE;
        }
    }

    Fault faultFor(Request request) {
        synchronized (lock) {
            return applies.test(request) ? fault : Fault.NONE;
        }
    }

    /** Holds the calling connection while {@code stalled} is the fault in force. */
    void holdWhile(Fault stalled) {
        synchronized (lock) {
            while (fault == stalled && !closed) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Waits {@code pace} while {@code slow} is in force (less when the fault ends); false when
     * the thread was interrupted.
     */
    boolean pause(Fault slow, Duration pace) {
        synchronized (lock) {
            if (fault == slow && !closed) {
                try {
                    lock.wait(pace.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Releases every held connection for good. */
    void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }
}
