package dev.wharf.terraform.mirror;

import java.util.Objects;

/**
 * A network mirror request that cannot be answered, with the reason the HTTP edge maps to a status:
 * {@code NOT_FOUND} 404, {@code BAD_REQUEST} 400, {@code UPSTREAM_FAILED} 502 (the upstream is down or
 * its release does not verify, and storage has nothing to fall back on), {@code CONFLICT} 409,
 * {@code TAG_DELETED} 503 (a tag deleted while it was stored: nothing is mirrored, and asking again stores it).
 */
public class MirrorException extends RuntimeException {
    public enum Reason { NOT_FOUND, BAD_REQUEST, UPSTREAM_FAILED, CONFLICT, TAG_DELETED }

    private final Reason reason;

    public MirrorException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public MirrorException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** Never null: every constructor takes a message, and callers show it as it is. */
    @Override
    public String getMessage() {
        return Objects.requireNonNull(super.getMessage());
    }
}
