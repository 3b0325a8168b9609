package dev.wharf.oci;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * How long the reader of an answer body may wait for its next bytes: the idle timeout, and once the
 * body has a deadline ({@link #arriveBy}) never past it. The idle timeout alone restarts with every
 * byte, so a registry that trickled a byte every two seconds held a tag list (and the client behind
 * it) for as long as it kept trickling. A body read whole gets a deadline; a streamed blob, long by
 * nature, keeps only the idle bound.
 *
 * <p>Set and read by one reading thread at a time; volatile because the deadline may be set on the
 * thread that sent the request and read on another.
 */
public final class BodyWait {
    private final Duration idle;
    private volatile long deadline;
    private volatile @org.jspecify.annotations.Nullable String within;
    private volatile @org.jspecify.annotations.Nullable TransferFloor floor;

    public BodyWait(Duration idle) {
        this.idle = idle;
    }

    /**
     * The whole body must have arrived by {@code deadlineNanos} ({@link System#nanoTime}); {@code within}
     * says what that deadline is, for the message ("within the request's retry budget of 8000 ms").
     */
    public void arriveBy(long deadlineNanos, String within) {
        this.deadline = deadlineNanos;
        this.within = within;
    }

    /** From now on the body must come at least as fast as {@code floor} asks, while someone waits for it. */
    public void keepAbove(TransferFloor floor) {
        this.floor = floor;
    }

    /** Before a wait for bytes: when it starts, for {@link #waitEnded}. */
    public long waitStarted() {
        TransferFloor f = floor;
        return f == null ? 0 : f.now();
    }

    /** After a wait for bytes that began at {@code started} ({@link #waitStarted}), however it ended. */
    public void waitEnded(long started) {
        TransferFloor f = floor;
        if (f != null) {
            f.waited(started);
        }
    }

    /** Counts {@code n} bytes that came; when they came under the floor, hands the failure to {@code giveUp} and throws it. */
    public void arrived(long n, Consumer<HttpTimeoutException> giveUp) throws HttpTimeoutException {
        TransferFloor f = floor;
        if (f == null) {
            return;
        }
        try {
            f.arrived(n);
        } catch (TransferFloor.TooSlowException e) {
            giveUp.accept(e);
            throw e;
        }
    }

    /**
     * Nanoseconds to wait for the next bytes now. When the body's deadline has passed, hands the failure to
     * {@code giveUp} (which abandons the body) and throws it.
     */
    public long nanos(Consumer<HttpTimeoutException> giveUp) throws HttpTimeoutException {
        long wait = idle.toNanos();
        if (within != null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw expired(giveUp);
            }
            wait = Math.min(wait, left);
        }
        return wait;
    }

    /**
     * The failure, handed to {@code giveUp} first, for a wait of {@link #nanos} that ended without bytes: the
     * deadline, or a silence of the idle timeout.
     */
    public HttpTimeoutException expired(Consumer<HttpTimeoutException> giveUp) {
        HttpTimeoutException failure = within != null && deadline - System.nanoTime() <= 0 ? late()
                : new HttpTimeoutException("the registry sent nothing for " + idle.toMillis() + " ms in the middle of an answer");
        giveUp.accept(failure);
        return failure;
    }

    private HttpTimeoutException late() {
        return new SlowAnswerException("not whole " + within);
    }

    /** An answer whose bytes kept coming, but not all of them in time. */
    public static final class SlowAnswerException extends HttpTimeoutException {
        private static final long serialVersionUID = 1L;

        SlowAnswerException(String message) {
            super(message);
        }
    }
}
