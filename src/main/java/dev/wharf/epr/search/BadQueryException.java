package dev.wharf.epr.search;

/** A query parameter EPR would answer 400 to; the message is EPR's, word for word. */
public class BadQueryException extends Exception {
    public BadQueryException(String message) {
        super(message);
    }
}
