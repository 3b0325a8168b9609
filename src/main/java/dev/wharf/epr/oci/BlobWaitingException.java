package dev.wharf.epr.oci;

import dev.wharf.oci.StorageException;
import java.time.Duration;

/**
 * A package's blob is not fetched because it failed and waits for its next try ({@link BlobBackoff}):
 * the same kind as that failure, so the client gets the same status, and how long until the next try,
 * so the answer can say {@code Retry-After} and a client (or a cache in front) that honours it does not
 * ask again before anything can have changed.
 */
public final class BlobWaitingException extends StorageException {
    private final Duration retryIn;

    BlobWaitingException(Kind kind, String message, Duration retryIn) {
        super(kind, message);
        this.retryIn = retryIn;
    }

    /** How long until the blob is tried again; more than zero. */
    public Duration retryIn() {
        return retryIn;
    }

    /** {@link #retryIn} in whole seconds as {@code Retry-After} takes them, rounded up so a client never asks early. */
    public long retryAfterSeconds() {
        long millis = retryIn.toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }
}
