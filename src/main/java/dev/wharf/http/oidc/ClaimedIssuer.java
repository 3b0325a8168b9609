package dev.wharf.http.oidc;

import com.nimbusds.jwt.JWTParser;
import java.text.ParseException;
import java.util.Optional;

/**
 * The {@code iss} a JWT claims, before anything is checked: only to pick the keys that check it, or to
 * tell whether an issuer's outage left a token of that issuer unchecked. Never to trust the token.
 */
public final class ClaimedIssuer {
    private ClaimedIssuer() {
    }

    /** The issuer the token names, or empty when it is no JWT or names none. */
    public static Optional<String> of(String token) {
        if (token.chars().filter(c -> c == '.').count() != 2) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JWTParser.parse(token).getJWTClaimsSet().getIssuer());
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    /** Whether a claimed issuer is the configured one, a trailing slash aside. */
    public static boolean same(String configured, String claimed) {
        return strip(configured).equals(strip(claimed));
    }

    private static String strip(String issuer) {
        return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    }
}
