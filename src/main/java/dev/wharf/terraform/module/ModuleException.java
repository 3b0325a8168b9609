package dev.wharf.terraform.module;

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
}
