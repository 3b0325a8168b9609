package dev.wharf.epr.index;

/** The indexer cannot serve anything: no source reachable and nothing persisted. */
public class IndexerException extends Exception {
    public IndexerException(String message, Throwable cause) {
        super(message, cause);
    }

    public IndexerException(String message) {
        super(message);
    }
}
