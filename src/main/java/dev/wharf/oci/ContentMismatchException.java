package dev.wharf.oci;

import java.io.IOException;

/**
 * A blob's content that is not what its descriptor promised: another digest, or another length. The
 * storage answered, and its answer for this one blob is wrong, so a reader that goes through many
 * blobs (EPR's fill behind the index) can tell it from a storage that fails as a whole (a connection
 * cut, a timeout), which fails every blob alike.
 */
public final class ContentMismatchException extends IOException {
    public ContentMismatchException(String message) {
        super(message);
    }

    /** Whether {@code failure}, or one of its causes, is a content mismatch. */
    public static boolean isCauseOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ContentMismatchException) {
                return true;
            }
        }
        return false;
    }
}
