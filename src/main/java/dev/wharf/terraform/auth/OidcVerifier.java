package dev.wharf.terraform.auth;

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
import java.net.URI;
import java.net.http.HttpClient;
import java.text.ParseException;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Checks OIDC bearer tokens (JWTs) the way an OIDC resource server does: the issuer's discovery
 * document names its JWKS; the signature must verify against one of those keys; {@code iss} must be
 * the issuer, {@code aud} must contain the expected audience (if there is one), {@code exp} must lie
 * ahead and {@code nbf} (if any) behind, with a minute of clock skew, and every required claim must
 * be present with its value.
 */
public final class OidcVerifier {
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final OidcSettings settings;
    private final IssuerDiscovery discovery;
    private final IssuerFetch fetch;
    private final Clock clock;
    private volatile @Nullable DefaultJWTProcessor<SecurityContext> processor;

    private OidcVerifier(OidcSettings settings, IssuerDiscovery discovery, IssuerFetch fetch, Clock clock) {
        this.settings = settings;
        this.discovery = discovery;
        this.fetch = fetch;
        this.clock = clock;
    }

    /**
     * Reads the issuer's discovery document now, so that a wrong issuer fails at start-up rather than
     * on the first request; an issuer that does not answer is asked again later ({@link IssuerDiscovery}).
     * The keys are fetched on first use.
     */
    public static OidcVerifier connect(OidcSettings settings, HttpClient http, Clock clock) {
        IssuerFetch fetch = new IssuerFetch(http);
        return new OidcVerifier(settings, IssuerDiscovery.read(settings.issuer(), fetch, clock), fetch, clock);
    }

    public OidcSettings settings() {
        return settings;
    }

    /** The issuer's discovery document, once it has answered; never waits, but asks the issuer again when that is due. */
    public Optional<OidcProviderMetadata> metadata() {
        Optional<OidcProviderMetadata> known = discovery.known();
        if (known.isEmpty()) {
            discovery.ask();
        }
        return known;
    }

    /** The discovery document, asking the issuer and waiting for its answer when it is due. */
    public Optional<OidcProviderMetadata> awaitMetadata() {
        try {
            return discovery.ask().get(IssuerFetch.TIMEOUT.toSeconds() + 1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        }
    }

    /** Why the issuer has not answered yet, or "" once it has. */
    public String unreachable() {
        return discovery.failure();
    }

    /** The authorization URL {@code terraform login} is sent to: the override, else the issuer's. */
    public @Nullable URI authorizationUrl(OidcProviderMetadata metadata) {
        return settings.authUrl().orElse(metadata.authorizationEndpoint());
    }

    /** The token's claims when it is valid; otherwise {@link TokenRejectedException} saying why. */
    public JWTClaimsSet verify(String token) {
        if (token == null || token.isBlank()) {
            throw new TokenRejectedException("no bearer token");
        }
        DefaultJWTProcessor<SecurityContext> checks = processor();
        JWTClaimsSet claims;
        try {
            claims = checks.process(token, null);
        } catch (ParseException e) {
            // terraform login keeps the issuer's access token, which some issuers make opaque.
            throw new TokenRejectedException("the bearer token is not a JWT (an opaque access token cannot be checked:"
                    + " the issuer must issue JWT access tokens for this client)");
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

    /** The checks, made once the issuer has named its keys; a token cannot be checked before. */
    private DefaultJWTProcessor<SecurityContext> processor() {
        DefaultJWTProcessor<SecurityContext> made = processor;
        if (made != null) {
            return made;
        }
        OidcProviderMetadata metadata = awaitMetadata().orElseThrow(() -> new TokenRejectedException(
                "OIDC tokens cannot be checked now: " + discovery.failure()));
        synchronized (this) {
            if (processor == null) {
                DefaultJWTProcessor<SecurityContext> checks = new DefaultJWTProcessor<>();
                checks.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS,
                        new IssuerKeys(java.util.Objects.requireNonNull(metadata.jwksUri()), fetch, clock, settings.keyRefreshCooldown())));
                checks.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                        settings.expectedAudience().orElse(null),
                        new JWTClaimsSet.Builder().issuer(metadata.issuer()).build(),
                        Set.of("exp")));
                processor = checks;
            }
            return processor;
        }
    }

    /** A string claim equal to {@code value}, a list claim holding it, or a number or boolean that prints as it. */
    private static boolean carries(Object claim, String value) {
        if (claim instanceof java.util.Collection<?> values) {
            return values.stream().anyMatch(v -> v != null && String.valueOf(v).equals(value));
        }
        return claim != null && String.valueOf(claim).equals(value);
    }
}
