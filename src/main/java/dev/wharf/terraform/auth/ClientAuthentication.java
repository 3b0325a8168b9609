package dev.wharf.terraform.auth;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Who may use the registry APIs: holders of a static token ({@code --auth-static-token}) or of a
 * valid OIDC token ({@code --auth-oidc-*}), each checked in turn as boring-registry does. With
 * neither configured, everyone may.
 */
public final class ClientAuthentication {
    private final Predicate<String> staticTokens;
    private final boolean staticTokensEnabled;
    private final Optional<OidcVerifier> oidc;

    /**
     * @param staticTokens whether an {@code Authorization} header carries one of the static tokens
     * @param staticTokensEnabled whether any static token is configured
     */
    public ClientAuthentication(Predicate<String> staticTokens, boolean staticTokensEnabled, Optional<OidcVerifier> oidc) {
        this.staticTokens = staticTokens;
        this.staticTokensEnabled = staticTokensEnabled;
        this.oidc = oidc;
    }

    public static ClientAuthentication open() {
        return new ClientAuthentication(h -> false, false, Optional.empty());
    }

    public boolean enabled() {
        return staticTokensEnabled || oidc.isPresent();
    }

    public Optional<OidcVerifier> oidc() {
        return oidc;
    }

    /**
     * Whether a request with this header may pass, told without waiting: true only when no
     * authentication is configured or the header carries a static token. An OIDC token is never
     * admitted here: its check may fetch the issuer's keys, so it takes {@link #refusal}.
     */
    public boolean admitsWithoutWaiting(String authorizationHeader) {
        return !enabled() || staticTokensEnabled && authorizationHeader != null && staticTokens.test(authorizationHeader);
    }

    /** Empty when the request may pass; otherwise why not, in words fit for the client (never the token). */
    public Optional<String> refusal(String authorizationHeader) {
        if (!enabled()) {
            return Optional.empty();
        }
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return Optional.of("authentication required: send 'Authorization: Bearer <token>'"
                    + " (a credentials block for this host in the terraform CLI configuration, or terraform login)");
        }
        String value = authorizationHeader.trim();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of("the Authorization header must carry a Bearer token");
        }
        if (staticTokensEnabled && staticTokens.test(authorizationHeader)) {
            return Optional.empty();
        }
        if (oidc.isEmpty()) {
            return Optional.of("invalid token");
        }
        try {
            oidc.get().verify(value.substring(7).trim());
            return Optional.empty();
        } catch (TokenRejectedException e) {
            return Optional.of("invalid token: " + e.getMessage());
        }
    }
}
