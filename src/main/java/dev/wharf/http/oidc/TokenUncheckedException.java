package dev.wharf.http.oidc;

/**
 * A token refused without being checked: the issuer whose document or keys check it cannot be
 * reached now, so its valid tokens are refused as well. Its holder guessed nothing, and may well
 * hold a good token: a failed-credential count must leave it out.
 */
public class TokenUncheckedException extends TokenRejectedException {
    public TokenUncheckedException(String message) {
        super(message);
    }
}
