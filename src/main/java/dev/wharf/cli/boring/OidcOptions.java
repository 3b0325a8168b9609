package dev.wharf.cli.boring;

import dev.wharf.http.oidc.IssuerClient;
import dev.wharf.http.oidc.OidcException;
import dev.wharf.terraform.auth.LoginAdvert;
import dev.wharf.terraform.auth.OidcSettings;
import dev.wharf.terraform.auth.OidcVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jetbrains.annotations.Contract;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * boring-registry's {@code --auth-oidc-*}, {@code --auth-okta-*} and {@code --login-*} flags of
 * {@code server}. Okta is an OIDC issuer, so its flags configure the same verifier: the token's
 * signature against the issuer's JWKS, {@code iss}, {@code exp}, and each {@code --auth-okta-claims}
 * pair (its {@code aud} is the audience; without one the audience is not checked, as in boring-registry).
 */
public final class OidcOptions {
    private static final Logger LOG = LoggerFactory.getLogger(OidcOptions.class);

    @Option(names = "--auth-oidc-issuer", paramLabel = "URL", description = "OIDC issuer URL; bearer JWTs it signs are accepted (BORING_REGISTRY_AUTH_OIDC_ISSUER).")
    @Nullable String issuer;

    @Option(names = "--auth-oidc-clientid", description = "OIDC client identifier (also the expected audience by default) (BORING_REGISTRY_AUTH_OIDC_CLIENTID).")
    @Nullable String clientId;

    @Option(names = "--auth-oidc-scopes", split = ",", description = "OAuth2 scopes terraform login asks for (BORING_REGISTRY_AUTH_OIDC_SCOPES).")
    List<String> scopes = new ArrayList<>();

    @Option(names = "--auth-oidc-auth-url", paramLabel = "URL",
            description = "Authorization URL advertised in login.v1 instead of the issuer's (BORING_REGISTRY_AUTH_OIDC_AUTH_URL).")
    @Nullable String authUrl;

    @Option(names = "--auth-oidc-audience", description = "Expected aud claim instead of the client id (BORING_REGISTRY_AUTH_OIDC_AUDIENCE).")
    @Nullable String audience;

    @Option(names = "--auth-okta-issuer", paramLabel = "URL",
            description = "Okta issuer URL (deprecated in boring-registry; prefer --auth-oidc-*). Tokens are checked as OIDC tokens"
                    + " of this issuer (BORING_REGISTRY_AUTH_OKTA_ISSUER).")
    @Nullable String oktaIssuer;

    @Option(names = "--auth-okta-claims", split = ",", paramLabel = "CLAIM=VALUE",
            description = "Claims an Okta token must carry, comma-separated claim=value pairs; aud=… sets the audience"
                    + " (BORING_REGISTRY_AUTH_OKTA_CLAIMS).")
    List<String> oktaClaims = new ArrayList<>();

    @Option(names = "--auth-oidc-ca-file", paramLabel = "PEM",
            description = "PEM file of CA certificates to trust for OIDC issuers (--auth-oidc-issuer, --auth-okta-issuer and the"
                    + " trusted publishers' issuers in --auth-tokens-file), in addition to the JVM's default trust; read again when it"
                    + " changes (BORING_REGISTRY_AUTH_OIDC_CA_FILE)")
    @Nullable Path caFile;

    @Option(names = "--login-grant-types", split = ",", defaultValue = "authz_code",
            description = "OAuth 2.0 grant types advertised in login.v1 (BORING_REGISTRY_LOGIN_GRANT_TYPES; default ${DEFAULT-VALUE}).")
    List<String> grantTypes = new ArrayList<>(List.of("authz_code"));

    @Option(names = "--login-ports", split = ",", defaultValue = "10000,10010",
            description = "Inclusive range of local ports terraform login may use (BORING_REGISTRY_LOGIN_PORTS; default ${DEFAULT-VALUE}).")
    List<Integer> ports = new ArrayList<>(List.of(10000, 10010));

    @Option(names = "--login-client", description = "Client id advertised in login.v1 instead of --auth-oidc-clientid (BORING_REGISTRY_LOGIN_CLIENT).")
    @Nullable String loginClient;

    @Option(names = "--login-authz", paramLabel = "URL", description = "Authorization endpoint advertised in login.v1 (BORING_REGISTRY_LOGIN_AUTHZ).")
    @Nullable String loginAuthz;

    @Option(names = "--login-token", paramLabel = "URL", description = "Token endpoint advertised in login.v1 instead of the issuer's (BORING_REGISTRY_LOGIN_TOKEN).")
    @Nullable String loginToken;

    @Option(names = "--login-scopes", split = ",", description = "Scopes advertised in login.v1 instead of --auth-oidc-scopes (BORING_REGISTRY_LOGIN_SCOPES).")
    List<String> loginScopes = new ArrayList<>();

    public boolean enabled() {
        return !blank(issuer) || !blank(oktaIssuer);
    }

    /**
     * Connects to the issuer (its discovery document) now, so that a wrong issuer fails at start; one that does not
     * answer is asked again when needed (the server starts without it). The client is made only
     * then: building one loads the JDK's trust store (7 % of the main thread's profile at a server's start, issue 19,
     * session 10).
     */
    public Optional<OidcVerifier> connect(Supplier<HttpClient> http) {
        // Given but empty ('--auth-oidc-issuer "$ISSUER"' with the variable unset) is refused: read as
        // absent, it would serve the API to everyone. An empty BORING_REGISTRY_* variable is unset.
        refuseEmpty("--auth-oidc-issuer", issuer);
        refuseEmpty("--auth-okta-issuer", oktaIssuer);
        if (!blank(issuer) && !blank(oktaIssuer)) {
            throw new IllegalArgumentException("both OIDC (--auth-oidc-issuer) and Okta (--auth-okta-issuer) are configured;"
                    + " only one is allowed at a time");
        }
        if (!oktaClaims.isEmpty() && blank(oktaIssuer)) {
            throw new IllegalArgumentException("--auth-okta-claims needs --auth-okta-issuer");
        }
        OidcSettings settings;
        if (!blank(oktaIssuer)) {
            LOG.warn("Okta auth is deprecated in boring-registry; --auth-oidc-* does the same for Okta and any other OIDC issuer");
            settings = OidcSettings.okta(URI.create(oktaIssuer.trim()), loginClient, loginScopes, OidcSettings.parseClaims(oktaClaims));
        } else if (!blank(issuer)) {
            settings = new OidcSettings(URI.create(issuer.trim()), clientId, Optional.ofNullable(audience),
                    scopes, Optional.ofNullable(authUrl).filter(u -> !u.isBlank()).map(URI::create),
                    OidcSettings.DEFAULT_KEY_REFRESH_COOLDOWN);
        } else {
            return Optional.empty();
        }
        try {
            return Optional.of(OidcVerifier.connect(settings, http.get(), Clock.systemUTC()));
        } catch (OidcException e) {
            // One line naming the flag, as for any other setting the server cannot start with.
            throw new IllegalArgumentException((blank(oktaIssuer) ? "--auth-oidc-issuer " : "--auth-okta-issuer ") + settings.issuer()
                    + ": " + e.getMessage(), e);
        }
    }

    private static void refuseEmpty(String flag, @Nullable String value) {
        if (value != null && value.isBlank()) {
            throw new IllegalArgumentException(flag + " was given without a URL; name the issuer, or leave the flag out");
        }
    }

    /** login.v1 as boring-registry advertises it: the issuer's endpoints unless {@code --login-*} overrides them. */
    public LoginAdvert login(OidcVerifier verifier) {
        return LoginAdvert.of(verifier, new LoginAdvert.Flags(loginClient, grantTypes, loginAuthz, loginToken, ports, loginScopes));
    }

    @Contract("null -> true")
    private static boolean blank(@Nullable String s) {
        return s == null || s.isBlank();
    }

    /**
     * The client every issuer is asked with, trusting {@code --auth-oidc-ca-file} when given; a file that cannot be read
     * fails the start. {@code anyIssuer}: whether something will ask one (the flag alone is a mistake worth saying).
     */
    IssuerClient issuerClient(boolean anyIssuer) {
        Optional<Path> ca = Optional.ofNullable(caFile).filter(f -> !f.toString().isBlank());
        if (ca.isPresent() && !anyIssuer) {
            throw new IllegalArgumentException("--auth-oidc-ca-file is for OIDC issuers: it needs --auth-oidc-issuer,"
                    + " --auth-okta-issuer or --auth-tokens-file");
        }
        try {
            return IssuerClient.trusting(ca);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--auth-oidc-ca-file: " + e.getMessage(), e);
        }
    }
}
