package dev.wharf.terraform.mirror.upstream;

/**
 * The upstream registry could not give what was asked. {@link Kind#NOT_FOUND} is the upstream's
 * own answer (the provider, version or platform does not exist there); every other kind means the
 * mirror cannot vouch for the upstream right now, which the HTTP edge answers with 502.
 */
public class UpstreamException extends RuntimeException {
    public enum Kind {
        /** The upstream cannot be reached (DNS, refused connection, timeout, TLS). */
        UNREACHABLE,
        /** The upstream answered, but not with the provider registry protocol (5xx, bad JSON, no providers.v1). */
        BAD_RESPONSE,
        /** The upstream says the provider, version or platform does not exist. */
        NOT_FOUND,
        /** A download did not match its SHA256SUMS, or the SHA256SUMS signature did not verify. */
        VERIFICATION_FAILED
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
