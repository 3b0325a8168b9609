package dev.wharf.terraform.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.wharf.http.oidc.ClaimValues;
import dev.wharf.http.oidc.IssuerTokens;
import dev.wharf.http.oidc.OidcProviderMetadata;
import dev.wharf.http.oidc.TokenRejectedException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Checks the OIDC bearer tokens {@code --auth-oidc-*} (or {@code --auth-okta-*}) accepts: JWTs of
 * the configured issuer for the expected audience ({@link IssuerTokens}), each carrying every
 * required claim with its value.
 */
public final class OidcVerifier {
    private final OidcSettings settings;
    private final IssuerTokens tokens;
    private final HttpClient http;

    private OidcVerifier(OidcSettings settings, IssuerTokens tokens, HttpClient http) {
        this.settings = settings;
        this.tokens = tokens;
        this.http = http;
    }

    /**
     * Reads the issuer's discovery document now, so that a wrong issuer fails at start-up rather than
     * on the first request; an issuer that does not answer is asked again later. The keys are fetched on first use.
     */
    public static OidcVerifier connect(OidcSettings settings, HttpClient http, Clock clock) {
        return new OidcVerifier(settings, IssuerTokens.connect(settings.issuer(), settings.expectedAudience(), http, clock,
                settings.keyRefreshCooldown()), http);
    }

    /** The client that reaches the issuer, with the trust it needs: for its other endpoints (the token endpoint of a sign-in). */
    public HttpClient issuerClient() {
        return http;
    }

    public OidcSettings settings() {
        return settings;
    }

    /** The issuer's discovery document, once it has answered; never waits, but asks the issuer again when that is due. */
    public Optional<OidcProviderMetadata> metadata() {
        return tokens.metadata();
    }

    /** The discovery document, asking the issuer and waiting for its answer when it is due. */
    public Optional<OidcProviderMetadata> awaitMetadata() {
        return tokens.awaitMetadata();
    }

    /** Why the issuer has not answered yet, or "" once it has. */
    public String unreachable() {
        return tokens.unreachable();
    }

    /** The authorization URL {@code terraform login} is sent to: the override, else the issuer's. */
    public @Nullable URI authorizationUrl(OidcProviderMetadata metadata) {
        return settings.authUrl().orElse(metadata.authorizationEndpoint());
    }

    /** The token's claims when it is valid; otherwise {@link TokenRejectedException} saying why. */
    public JWTClaimsSet verify(String token) {
        JWTClaimsSet claims = tokens.verify(token);
        settings.requiredClaims().forEach((name, value) -> {
            if (!ClaimValues.carries(claims.getClaim(name), value)) {
                throw new TokenRejectedException("the token lacks the required claim " + name + "=" + value);
            }
        });
        return claims;
    }
}
