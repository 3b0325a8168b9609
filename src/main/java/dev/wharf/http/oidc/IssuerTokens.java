package dev.wharf.http.oidc;

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
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The JWTs one issuer signs for one audience, checked the way an OIDC resource server does: the
 * issuer's discovery document names its JWKS; the signature must verify against one of those keys;
 * {@code iss} must be the issuer, {@code aud} must contain the audience (when there is one), {@code exp}
 * must lie ahead and {@code nbf} (if any) behind, with a minute of clock skew.
 */
public final class IssuerTokens {
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final Optional<String> audience;
    private final IssuerDiscovery discovery;
    private final IssuerFetch fetch;
    private final Clock clock;
    private final Duration keyRefreshCooldown;
    private volatile @Nullable DefaultJWTProcessor<SecurityContext> processor;

    private IssuerTokens(Optional<String> audience, IssuerDiscovery discovery, IssuerFetch fetch, Clock clock, Duration keyRefreshCooldown) {
        this.audience = audience;
        this.discovery = discovery;
        this.fetch = fetch;
        this.clock = clock;
        this.keyRefreshCooldown = keyRefreshCooldown;
    }

    /**
     * Reads the issuer's discovery document now, so that a wrong issuer fails at start-up rather than
     * on the first request ({@link OidcException}); an issuer that does not answer is asked again
     * later ({@link IssuerDiscovery}). The keys are fetched on first use.
     */
    public static IssuerTokens connect(URI issuer, Optional<String> audience, HttpClient http, Clock clock, Duration keyRefreshCooldown) {
        IssuerFetch fetch = new IssuerFetch(http);
        return new IssuerTokens(audience, IssuerDiscovery.read(issuer, fetch, clock), fetch, clock, keyRefreshCooldown);
    }

    /**
     * Asks the issuer nothing until a token of it comes: for issuers named in a file that is read
     * again while requests are served, where a request must not wait on an issuer it does not need.
     * A wrong issuer is then said in the refusal of its tokens.
     */
    public static IssuerTokens onFirstToken(URI issuer, Optional<String> audience, HttpClient http, Clock clock, Duration keyRefreshCooldown) {
        IssuerFetch fetch = new IssuerFetch(http);
        return new IssuerTokens(audience, IssuerDiscovery.later(issuer, fetch, clock), fetch, clock, keyRefreshCooldown);
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

    /**
     * The token's claims when it is valid; otherwise {@link TokenRejectedException} saying why, which is a
     * {@link TokenUncheckedException} when the issuer could not be reached to check it.
     */
    public JWTClaimsSet verify(String token) {
        if (token == null || token.isBlank()) {
            throw new TokenRejectedException("no bearer token");
        }
        DefaultJWTProcessor<SecurityContext> checks;
        try {
            checks = processor();
        } catch (TokenUncheckedException e) {
            throw uncheckedIfOurs(token, e.getMessage());
        }
        try {
            return checks.process(token, null);
        } catch (ParseException e) {
            // terraform login keeps the issuer's access token, which some issuers make opaque.
            throw new TokenRejectedException("the bearer token is not a JWT (an opaque access token cannot be checked:"
                    + " the issuer must issue JWT access tokens for this client)");
        } catch (KeySourceException e) {
            String why = "the issuer's signing keys cannot be fetched: " + e.getMessage();
            throw unreachable(e) ? uncheckedIfOurs(token, why) : new TokenRejectedException(why);
        } catch (BadJWTException e) {
            if (e.getMessage() != null && e.getMessage().contains("aud claim")) {
                throw new TokenRejectedException("the token is meant for another audience: its aud claim lacks '"
                        + audience.orElse("") + "'");
            }
            throw new TokenRejectedException("the token's claims are not acceptable: " + e.getMessage());
        } catch (BadJOSEException e) {
            throw new TokenRejectedException("the token's signature is not valid for the issuer's keys: " + e.getMessage());
        } catch (JOSEException e) {
            throw new TokenRejectedException("the token cannot be checked: " + e.getMessage());
        }
    }

    /**
     * The refusal while the issuer cannot be reached: unchecked only for a token that names this issuer,
     * which its keys could have let in. Any other (no JWT, another issuer's) fails whatever the issuer
     * says, so it stays a failed check: a guess of another kind of token is counted during an outage too.
     */
    private TokenRejectedException uncheckedIfOurs(String token, @Nullable String why) {
        boolean ours = ClaimedIssuer.of(token).filter(claimed -> ClaimedIssuer.same(discovery.issuer().toString(), claimed)).isPresent();
        String message = String.valueOf(why);
        return ours ? new TokenUncheckedException(message) : new TokenRejectedException(message);
    }

    /** Whether the keys could not be fetched because the issuer did not answer (IssuerKeys keeps that failure as the cause). */
    private static boolean unreachable(Throwable failure) {
        for (@Nullable Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IssuerUnreachableException) {
                return true;
            }
        }
        return false;
    }

    /** The checks, made once the issuer has named its keys; a token cannot be checked before. */
    private DefaultJWTProcessor<SecurityContext> processor() {
        DefaultJWTProcessor<SecurityContext> made = processor;
        if (made != null) {
            return made;
        }
        OidcProviderMetadata metadata = awaitMetadata().orElseThrow(() -> {
            String why = "OIDC tokens cannot be checked now: " + (discovery.failure().isEmpty() ? "the issuer has not answered" : discovery.failure());
            return discovery.unanswered() ? new TokenUncheckedException(why) : new TokenRejectedException(why);
        });
        synchronized (this) {
            if (processor == null) {
                DefaultJWTProcessor<SecurityContext> checks = new DefaultJWTProcessor<>();
                checks.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS,
                        new IssuerKeys(Objects.requireNonNull(metadata.jwksUri()), fetch, clock, keyRefreshCooldown)));
                checks.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                        audience.orElse(null),
                        new JWTClaimsSet.Builder().issuer(metadata.issuer()).build(),
                        Set.of("exp")));
                processor = checks;
            }
            return processor;
        }
    }
}
