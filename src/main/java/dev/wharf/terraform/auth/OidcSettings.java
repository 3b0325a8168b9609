package dev.wharf.terraform.auth;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What {@code --auth-oidc-*} configures: the issuer whose tokens are accepted, the audience they must
 * name ({@code --auth-oidc-audience}, else the client id, as boring-registry does), the client id and
 * scopes advertised to {@code terraform login}, and an optional override of the authorization URL.
 */
public record OidcSettings(URI issuer, String clientId, Optional<String> audience, List<String> scopes,
                           Optional<URI> authUrl, Duration keyRefreshCooldown) {
    public static final Duration DEFAULT_KEY_REFRESH_COOLDOWN = Duration.ofSeconds(30);

    public OidcSettings {
        if (issuer == null || issuer.getScheme() == null || issuer.getHost() == null) {
            throw new IllegalArgumentException("--auth-oidc-issuer must be an absolute URL, such as https://idp.example.com/realms/main");
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("--auth-oidc-clientid is required with --auth-oidc-issuer");
        }
        audience = audience.filter(a -> !a.isBlank());
        scopes = List.copyOf(scopes);
        if (keyRefreshCooldown == null || keyRefreshCooldown.isNegative()) {
            keyRefreshCooldown = DEFAULT_KEY_REFRESH_COOLDOWN;
        }
    }

    /** The {@code aud} a token must carry. */
    public String expectedAudience() {
        return audience.orElse(clientId);
    }
}
