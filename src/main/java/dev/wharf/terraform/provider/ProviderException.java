package dev.wharf.terraform.provider;

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
}
