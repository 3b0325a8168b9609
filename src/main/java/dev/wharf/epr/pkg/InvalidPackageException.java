package dev.wharf.epr.pkg;

import java.util.Objects;

/** A package that cannot be indexed; the message says what is wrong with it, for the log line that names it. */
public class InvalidPackageException extends Exception {
    public InvalidPackageException(String message) {
        super(message);
    }

    public InvalidPackageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Never null: every constructor takes a message, and callers show it as it is. */
    @Override
    public String getMessage() {
        return Objects.requireNonNull(super.getMessage());
    }
}
