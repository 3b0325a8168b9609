package dev.wharf.oci;

import java.io.InputStream;

/** An answer body that can be told when it must have arrived whole ({@link BodyWait}). */
public interface DeadlineBody {
    void arriveBy(long deadlineNanos, String within);

    /** From now on the body must come at least as fast as {@code floor} asks ({@link TransferFloor}). */
    void keepAbove(TransferFloor floor);

    /** Gives {@code body} its deadline when it can take one; other bodies (test doubles, empty ones) are left as they are. */
    static void bound(InputStream body, long deadlineNanos, String within) {
        if (body instanceof DeadlineBody bounded) {
            bounded.arriveBy(deadlineNanos, within);
        }
    }

    /** Gives {@code body} its floor when it can take one, as {@link #bound} its deadline. */
    static void keepAbove(InputStream body, TransferFloor floor) {
        if (body instanceof DeadlineBody bounded) {
            bounded.keepAbove(floor);
        }
    }
}
