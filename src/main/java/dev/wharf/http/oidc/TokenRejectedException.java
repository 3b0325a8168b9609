package dev.wharf.http.oidc;

/**
 * A bearer token that does not let its holder in. The message says why (expired, wrong audience,
 * unknown signing key) and never repeats the token.
 */
public class TokenRejectedException extends RuntimeException {
    public TokenRejectedException(String message) {
        super(message);
    }
}
