package dev.wharf.terraform.module;

import java.util.Objects;

/** Why the module protocol cannot answer: the caller asked for something malformed or missing. */
public class ModuleException extends RuntimeException {
    public enum Reason { BAD_REQUEST, NOT_FOUND }

    private final Reason reason;

    public ModuleException(Reason reason, String message) {
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
