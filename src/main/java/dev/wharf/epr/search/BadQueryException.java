package dev.wharf.epr.search;

import java.util.Objects;

/** A query parameter EPR would answer 400 to; the message is EPR's, word for word. */
public class BadQueryException extends Exception {
    public BadQueryException(String message) {
        super(message);
    }

    /** Never null: every constructor takes a message, and callers show it as it is. */
    @Override
    public String getMessage() {
        return Objects.requireNonNull(super.getMessage());
    }
}
