package dev.wharf.terraform.provider;

/** A provider signature or signing key that does not check out, with the reason. */
public class SignatureException extends RuntimeException {
    public SignatureException(String message) {
        super(message);
    }
}
