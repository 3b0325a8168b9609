package dev.wharf.terraform.auth;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@code --auth-oidc-*} (or the older {@code --auth-okta-*}) configures: the issuer whose tokens
 * are accepted, the audience they must name, claims they must carry, the client id and scopes
 * advertised to {@code terraform login}, and an optional override of the authorization URL.
 *
 * <p>{@link Kind#OIDC}: the audience is {@code --auth-oidc-audience}, else the client id, as
 * boring-registry does. {@link Kind#OKTA}: boring-registry's Okta verifier checks the audience only
 * when {@code --auth-okta-claims} names one ({@code aud=…}); the client id is then only advertised.
 */
public record OidcSettings(URI issuer, @Nullable String clientId, Optional<String> audience, List<String> scopes,
                           Optional<URI> authUrl, Duration keyRefreshCooldown, Kind kind, Map<String, String> requiredClaims) {
    public static final Duration DEFAULT_KEY_REFRESH_COOLDOWN = Duration.ofSeconds(30);

    /** Which flag family configured the issuer; it decides how the audience is checked. */
    public enum Kind { OIDC, OKTA }

    public OidcSettings {
        String flag = kind == Kind.OKTA ? "--auth-okta-issuer" : "--auth-oidc-issuer";
        if (issuer == null || issuer.getScheme() == null || issuer.getHost() == null) {
            throw new IllegalArgumentException(flag + " must be an absolute URL, such as https://idp.example.com/realms/main");
        }
        if (kind == Kind.OIDC && (clientId == null || clientId.isBlank())) {
            throw new IllegalArgumentException("--auth-oidc-clientid is required with --auth-oidc-issuer");
        }
        audience = audience.filter(a -> !a.isBlank());
        scopes = List.copyOf(scopes);
        requiredClaims = Map.copyOf(requiredClaims);
        if (keyRefreshCooldown == null || keyRefreshCooldown.isNegative()) {
            keyRefreshCooldown = DEFAULT_KEY_REFRESH_COOLDOWN;
        }
    }

    /** Plain OIDC ({@code --auth-oidc-*}), with no claims required beyond issuer, audience and lifetime. */
    public OidcSettings(URI issuer, @Nullable String clientId, Optional<String> audience, List<String> scopes,
                        Optional<URI> authUrl, Duration keyRefreshCooldown) {
        this(issuer, clientId, audience, scopes, authUrl, keyRefreshCooldown, Kind.OIDC, Map.of());
    }

    /** Okta ({@code --auth-okta-issuer}, {@code --auth-okta-claims}): an OIDC issuer whose tokens must carry these claims. */
    public static OidcSettings okta(URI issuer, @Nullable String loginClient, List<String> scopes, Map<String, String> claims) {
        return new OidcSettings(issuer, loginClient, Optional.empty(), scopes, Optional.empty(), DEFAULT_KEY_REFRESH_COOLDOWN,
                Kind.OKTA, claims);
    }

    /**
     * {@code --auth-okta-claims} as boring-registry takes them, {@code name=value} each; unlike
     * boring-registry, which skips a malformed pair silently, a malformed one is refused.
     */
    public static Map<String, String> parseClaims(List<String> pairs) {
        Map<String, String> claims = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1 || pair.indexOf('=', eq + 1) >= 0) {
                throw new IllegalArgumentException("--auth-okta-claims: '" + pair + "' is not of the form claim=value");
            }
            claims.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return claims;
    }

    /** The {@code aud} a token must carry, if any. */
    public Optional<String> expectedAudience() {
        if (kind == Kind.OKTA) {
            return Optional.ofNullable(requiredClaims.get("aud"));
        }
        return Optional.ofNullable(audience.orElse(clientId));
    }
}
