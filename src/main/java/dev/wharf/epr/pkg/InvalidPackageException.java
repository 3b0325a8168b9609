package dev.wharf.epr.pkg;

/** A package that cannot be indexed; the message says what is wrong with it, for the log line that names it. */
public class InvalidPackageException extends Exception {
    public InvalidPackageException(String message) {
        super(message);
    }

    public InvalidPackageException(String message, Throwable cause) {
        super(message, cause);
    }
}
