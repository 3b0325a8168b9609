package dev.wharf.http.oidc;

/** The OIDC issuer cannot be used: its discovery document or keys are unreachable or malformed. */
public class OidcException extends RuntimeException {
    public OidcException(String message) {
        super(message);
    }

    public OidcException(String message, Throwable cause) {
        super(message, cause);
    }
}
