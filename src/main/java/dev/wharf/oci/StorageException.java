package dev.wharf.oci;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A storage failure, already phrased for the person who has to fix it: the message names the
 * registry, the repository and what to check. Protocol fronts map the {@link Kind} to their own
 * status codes and never show a stack trace.
 */
public class StorageException extends RuntimeException {
    public enum Kind {
        /** Credentials missing or refused. */
        UNAUTHORIZED,
        /** Authenticated, but not allowed (pull or push). */
        FORBIDDEN,
        /** The repository, tag or blob does not exist where it was expected to. */
        NOT_FOUND,
        /** The tag exists and the push refused to overwrite it. */
        TAG_EXISTS,
        /** The registry cannot be reached (DNS, refused connection, timeout, reset). */
        UNREACHABLE,
        /** The TLS handshake failed (untrusted or invalid certificate). */
        TLS,
        /** The registry answered something that is not the OCI distribution protocol. */
        PROTOCOL,
        /** The registry or backend does not offer this operation (tag deletion, say). */
        UNSUPPORTED,
        /** Content did not match its digest, or a local read failed. */
        CORRUPT,
        /**
         * This machine's disk refused a write (full, over a quota or a file size limit, read-only): an
         * OCI image layout, a cache folder or a spooled body. Nothing was stored, and trying again
         * helps only once the disk has room. A {@link RepositoryFullException} is of this kind too: the
         * embedded layout's repository holds as many tags as it keeps in one.
         */
        WRITE_FAILED,
        /** Any other failure of the registry (5xx after retries, rate limits). */
        REGISTRY_ERROR
    }

    /** What a registry's refusal says about the repository name, so that callers can name the fix. */
    public enum Refusal {
        /** Nothing said about the name. */
        NONE,
        /** The registry refuses this repository name (NAME_INVALID, or denied where deep names are not allowed). */
        NAME,
        /** The repository or project must be created before the first push (NAME_UNKNOWN or 404 on a write). */
        MISSING_REPOSITORY
    }

    private final Kind kind;
    private final Refusal refusal;

    public StorageException(Kind kind, String message) {
        this(kind, message, null, Refusal.NONE);
    }

    public StorageException(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, Refusal.NONE);
    }

    public StorageException(Kind kind, String message, @Nullable Throwable cause, Refusal refusal) {
        super(message, cause);
        this.kind = kind;
        this.refusal = refusal;
    }

    /** A write this machine's disk refused: "cannot write {@code what}: the system's reason". */
    public static StorageException writeFailed(String what, java.io.IOException e) {
        return new StorageException(Kind.WRITE_FAILED, "cannot write " + what + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()), e);
    }

    public Refusal refusal() {
        return refusal;
    }

    public Kind kind() {
        return kind;
    }

    /** True when the failure is the backend's and not the caller's: the store is down or broken. */
    public boolean isOutage() {
        return switch (kind) {
            case UNREACHABLE, TLS, PROTOCOL, REGISTRY_ERROR, UNAUTHORIZED, FORBIDDEN -> true;
            default -> false;
        };
    }

    /** Never null: every constructor takes a message, and callers show it as it is. */
    @Override
    public String getMessage() {
        return Objects.requireNonNull(super.getMessage());
    }
}
