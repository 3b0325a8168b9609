package dev.wharf.terraform.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.wharf.oci.IoFailures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Checks OIDC bearer tokens (JWTs) the way an OIDC resource server does: the issuer's discovery
 * document names its JWKS; the signature must verify against one of those keys; {@code iss} must be
 * the issuer, {@code aud} must contain the expected audience (if there is one), {@code exp} must lie
 * ahead and {@code nbf} (if any) behind, with a minute of clock skew, and every required claim must
 * be present with its value.
 */
public final class OidcVerifier {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final OidcSettings settings;
    private final OidcProviderMetadata metadata;
    private final DefaultJWTProcessor<SecurityContext> processor;

    private OidcVerifier(OidcSettings settings, OidcProviderMetadata metadata, IssuerKeys keys) {
        this.settings = settings;
        this.metadata = metadata;
        this.processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                settings.expectedAudience().orElse(null),
                new JWTClaimsSet.Builder().issuer(metadata.issuer()).build(),
                Set.of("exp")));
    }

    /**
     * Reads the issuer's discovery document now, so that a wrong issuer fails at start-up rather than
     * on the first request; the keys are fetched on first use.
     */
    public static OidcVerifier connect(OidcSettings settings, HttpClient http, Clock clock) {
        Fetcher fetcher = new Fetcher(http);
        URI discovery = URI.create(stripSlash(settings.issuer().toString()) + "/.well-known/openid-configuration");
        OidcProviderMetadata metadata;
        try {
            metadata = JSON.readValue(fetcher.apply(discovery), OidcProviderMetadata.class);
        } catch (IOException e) {
            throw new OidcException("the OIDC discovery document at " + discovery + " is not valid JSON: " + e.getMessage(), e);
        }
        if (metadata.issuer() == null || !stripSlash(metadata.issuer()).equals(stripSlash(settings.issuer().toString()))) {
            throw new OidcException("the OIDC discovery document at " + discovery + " names issuer '" + metadata.issuer()
                    + "', not the configured " + settings.issuer());
        }
        if (metadata.jwksUri() == null) {
            throw new OidcException("the OIDC discovery document at " + discovery + " has no jwks_uri");
        }
        return new OidcVerifier(settings, metadata, new IssuerKeys(metadata.jwksUri(), fetcher, clock, settings.keyRefreshCooldown()));
    }

    public OidcSettings settings() {
        return settings;
    }

    public OidcProviderMetadata metadata() {
        return metadata;
    }

    /** The authorization URL {@code terraform login} is sent to: the override, else the issuer's. */
    public @Nullable URI authorizationUrl() {
        return settings.authUrl().orElse(metadata.authorizationEndpoint());
    }

    /** The token's claims when it is valid; otherwise {@link TokenRejectedException} saying why. */
    public JWTClaimsSet verify(String token) {
        if (token == null || token.isBlank()) {
            throw new TokenRejectedException("no bearer token");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new TokenRejectedException("the bearer token is not a JWT");
        } catch (KeySourceException e) {
            throw new TokenRejectedException("the issuer's signing keys cannot be fetched: " + e.getMessage());
        } catch (BadJWTException e) {
            if (e.getMessage() != null && e.getMessage().contains("aud claim")) {
                throw new TokenRejectedException("the token is meant for another audience: its aud claim lacks '"
                        + settings.expectedAudience().orElse("") + "'");
            }
            throw new TokenRejectedException("the token's claims are not acceptable: " + e.getMessage());
        } catch (BadJOSEException e) {
            throw new TokenRejectedException("the token's signature is not valid for the issuer's keys: " + e.getMessage());
        } catch (JOSEException e) {
            throw new TokenRejectedException("the token cannot be checked: " + e.getMessage());
        }
        settings.requiredClaims().forEach((name, value) -> {
            if (!carries(claims.getClaim(name), value)) {
                throw new TokenRejectedException("the token lacks the required claim " + name + "=" + value);
            }
        });
        return claims;
    }

    /** A string claim equal to {@code value}, a list claim holding it, or a number or boolean that prints as it. */
    private static boolean carries(Object claim, String value) {
        if (claim instanceof java.util.Collection<?> values) {
            return values.stream().anyMatch(v -> v != null && String.valueOf(v).equals(value));
        }
        return claim != null && String.valueOf(claim).equals(value);
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** GETs a small JSON document from the issuer. */
    private record Fetcher(HttpClient http) implements Function<URI, String> {
        @Override
        public String apply(URI uri) {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json").GET().build();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new OidcException("the OIDC issuer at " + uri.getScheme() + "://" + uri.getAuthority()
                        + " cannot be reached: " + IoFailures.describe(e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OidcException("interrupted while fetching " + uri, e);
            }
            if (response.statusCode() != 200) {
                throw new OidcException(uri + " answered HTTP " + response.statusCode());
            }
            return response.body();
        }
    }
}
