package dev.wharf.terraform.provider;

import java.util.Objects;

/** Why the provider protocol cannot answer: a malformed request, or something that is not there. */
public class ProviderException extends RuntimeException {
    public enum Reason { BAD_REQUEST, NOT_FOUND, BROKEN_RELEASE }

    private final Reason reason;

    public ProviderException(Reason reason, String message) {
        super(message);
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
