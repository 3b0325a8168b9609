package dev.wharf.cli.boring;

import dev.wharf.terraform.auth.LoginV1;
import dev.wharf.terraform.auth.OidcSettings;
import dev.wharf.terraform.auth.OidcVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** boring-registry's {@code --auth-oidc-*} and {@code --login-*} flags of {@code server}. */
public final class OidcOptions {
    @Option(names = "--auth-oidc-issuer", paramLabel = "URL", description = "OIDC issuer URL; bearer JWTs it signs are accepted (BORING_REGISTRY_AUTH_OIDC_ISSUER).")
    String issuer;

    @Option(names = "--auth-oidc-clientid", description = "OIDC client identifier (also the expected audience by default) (BORING_REGISTRY_AUTH_OIDC_CLIENTID).")
    String clientId;

    @Option(names = "--auth-oidc-scopes", split = ",", description = "OAuth2 scopes terraform login asks for (BORING_REGISTRY_AUTH_OIDC_SCOPES).")
    List<String> scopes = new ArrayList<>();

    @Option(names = "--auth-oidc-auth-url", paramLabel = "URL",
            description = "Authorization URL advertised in login.v1 instead of the issuer's (BORING_REGISTRY_AUTH_OIDC_AUTH_URL).")
    String authUrl;

    @Option(names = "--auth-oidc-audience", description = "Expected aud claim instead of the client id (BORING_REGISTRY_AUTH_OIDC_AUDIENCE).")
    String audience;

    @Option(names = "--login-grant-types", split = ",", defaultValue = "authz_code",
            description = "OAuth 2.0 grant types advertised in login.v1 (BORING_REGISTRY_LOGIN_GRANT_TYPES; default ${DEFAULT-VALUE}).")
    List<String> grantTypes = new ArrayList<>(List.of("authz_code"));

    @Option(names = "--login-ports", split = ",", defaultValue = "10000,10010",
            description = "Inclusive range of local ports terraform login may use (BORING_REGISTRY_LOGIN_PORTS; default ${DEFAULT-VALUE}).")
    List<Integer> ports = new ArrayList<>(List.of(10000, 10010));

    @Option(names = "--login-client", description = "Client id advertised in login.v1 instead of --auth-oidc-clientid (BORING_REGISTRY_LOGIN_CLIENT).")
    String loginClient;

    @Option(names = "--login-authz", paramLabel = "URL", description = "Authorization endpoint advertised in login.v1 (BORING_REGISTRY_LOGIN_AUTHZ).")
    String loginAuthz;

    @Option(names = "--login-token", paramLabel = "URL", description = "Token endpoint advertised in login.v1 instead of the issuer's (BORING_REGISTRY_LOGIN_TOKEN).")
    String loginToken;

    @Option(names = "--login-scopes", split = ",", description = "Scopes advertised in login.v1 instead of --auth-oidc-scopes (BORING_REGISTRY_LOGIN_SCOPES).")
    List<String> loginScopes = new ArrayList<>();

    public boolean enabled() {
        return issuer != null && !issuer.isBlank();
    }

    /** Connects to the issuer (its discovery document) now, so that a wrong issuer fails at start. */
    public Optional<OidcVerifier> connect(HttpClient http) {
        if (!enabled()) {
            return Optional.empty();
        }
        OidcSettings settings = new OidcSettings(URI.create(issuer.trim()), clientId, Optional.ofNullable(audience),
                scopes, Optional.ofNullable(authUrl).filter(u -> !u.isBlank()).map(URI::create),
                OidcSettings.DEFAULT_KEY_REFRESH_COOLDOWN);
        return Optional.of(OidcVerifier.connect(settings, http, Clock.systemUTC()));
    }

    public LoginV1 login(OidcVerifier verifier) {
        LoginV1 oidc = LoginV1.forOidc(verifier, grantTypes, ports);
        return new LoginV1(
                blank(loginClient) ? oidc.client() : loginClient,
                oidc.grantTypes(),
                blank(loginAuthz) ? oidc.authz() : loginAuthz,
                blank(loginToken) ? oidc.token() : loginToken,
                oidc.ports(),
                loginScopes.isEmpty() ? oidc.scopes() : loginScopes);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static HttpClient defaultClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).build();
    }
}
