package dev.wharf.http.oidc;

/**
 * The issuer did not answer, or answered that it cannot now (5xx, 429): a passing state, unlike a
 * discovery document that names another issuer or no keys, which is a configuration to fix.
 */
public class IssuerUnreachableException extends OidcException {
    public IssuerUnreachableException(String message) {
        super(message);
    }

    public IssuerUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
