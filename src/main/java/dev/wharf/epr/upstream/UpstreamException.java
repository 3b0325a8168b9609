package dev.wharf.epr.upstream;

/**
 * The upstream package registry could not give what was asked. {@link Kind#NOT_FOUND} is the
 * upstream's own answer; every other kind means it cannot be relied on right now.
 */
public class UpstreamException extends RuntimeException {
    public enum Kind {
        /** No connection, a timeout, or the upstream kept failing through every retry. */
        UNREACHABLE,
        /** It answered, but not as a package registry does (unexpected status, not JSON, unreadable JSON). */
        BAD_RESPONSE,
        /** It says the package, version or file does not exist. */
        NOT_FOUND,
        /** A zip did not verify against its signature, or is larger than allowed. */
        REFUSED
    }

    private final Kind kind;

    public UpstreamException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public UpstreamException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
