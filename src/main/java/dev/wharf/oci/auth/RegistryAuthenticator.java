package dev.wharf.oci.auth;

import dev.wharf.oci.StorageException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the {@code Authorization} header for requests to one registry, following what the
 * registry asked for in its {@code WWW-Authenticate} challenge (learned from the {@code /v2/} ping
 * or from the first 401).
 *
 * <ul>
 *   <li>No challenge known: nothing is sent, except a {@link Credentials.Token}, which is sent as
 *       {@code Authorization: Bearer <token>} as it is (registries and gateways that take static
 *       tokens do not challenge).</li>
 *   <li>Basic challenge: {@link Credentials.Basic} is sent as Basic; a {@link Credentials.Token} is
 *       sent directly as {@code Bearer}.</li>
 *   <li>Bearer challenge: a token for the request's scopes is fetched from the realm and cached per
 *       scope until shortly before it expires. Basic credentials authenticate a GET to the realm;
 *       anonymous access asks the realm without credentials (public pulls); a
 *       {@link Credentials.Token} is first offered as an OAuth2 refresh token (identity token, POST
 *       {@code grant_type=refresh_token}) and, when the token server refuses that, as the password
 *       of a Basic GET (personal access tokens). The token itself is never sent to the registry
 *       in this case.</li>
 * </ul>
 * A token fetch that fails other than by refusing the credentials (the token service unreachable, failing, or
 * answering without a token) drops the challenge, so the next try sends the request without credentials and
 * learns from the registry's 401 where its token service is now; at most once per try, as every try asks the
 * registry once. After a 401 the transport asks {@link #retryAfterUnauthorized} once: a cached token is dropped and
 * a fresh one is fetched; a newly learned challenge is followed; credentials that were refused are
 * resolved again, and a request is sent again when they changed; anything else is final.
 *
 * <p>Credentials are resolved on first need and kept, but not for good: those from Docker's
 * configuration change under a running server (ECR's credential helper hands out a password that
 * expires after 12 hours, GAR's an access token good for about one; a mounted {@code config.json}
 * is rotated). So credentials the registry or its token server refuse are resolved again, running
 * the helper again; while that gives the same refused credentials, not again for
 * {@link #RESOLVE_AGAIN_AFTER}, so wrong credentials under load do not run a helper per request.
 */
public final class RegistryAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryAuthenticator.class);
    private final String registry;
    private final CredentialSource source;
    private final TokenExchange exchange;
    private final Clock clock;
    /** Scopes whose tokens are kept at most: one per repository read or written, and names can come from clients. */
    static final int MAX_SCOPES = 10_000;
    private final ScopedTokens tokens;
    static final Duration RESOLVE_AGAIN_AFTER = Duration.ofSeconds(10);
    /** A deadline far enough that the response timeout always comes first. */
    private static final Duration NO_BUDGET = Duration.ofDays(1);
    private volatile @Nullable ResolvedCredentials credentials;
    /** When resolving again last gave the credentials already in use, or last changed them. */
    private @Nullable Instant lastResolvedAgain;
    private boolean lastResolvingChanged;
    private volatile @Nullable AuthChallenge challenge;
    /** The challenge was dropped after its token server failed: nothing is sent until the registry challenges again. */
    private volatile boolean forgotten;
    // Not this object's monitor: that one is held while a credential helper runs.
    private final Object challengeLock = new Object();

    public RegistryAuthenticator(String registry, CredentialSource source, TokenExchange exchange, Clock clock) {
        this(registry, source, exchange, clock, MAX_SCOPES);
    }

    RegistryAuthenticator(String registry, CredentialSource source, TokenExchange exchange, Clock clock, int maxScopes) {
        this.registry = registry;
        this.source = source;
        this.exchange = exchange;
        this.clock = clock;
        this.tokens = new ScopedTokens(clock, maxScopes);
    }

    /** The credentials in use, resolved on first need (and again only when refused: {@link #resolveAgain}). */
    public ResolvedCredentials credentials() {
        ResolvedCredentials current = credentials;
        if (current == null) {
            synchronized (this) {
                if (credentials == null) {
                    credentials = source.credentialsFor(registry);
                }
                current = credentials;
            }
        }
        return current;
    }

    public Optional<AuthChallenge> challenge() {
        return Optional.ofNullable(challenge);
    }

    /**
     * Resolves the credentials again after the registry or its token server refused them; true when
     * a request is worth sending again: they changed now, or another refused request changed them
     * moments ago (it may have been sent with the old ones).
     */
    private synchronized boolean resolveAgain() {
        Instant now = clock.instant();
        if (lastResolvedAgain != null && now.isBefore(lastResolvedAgain.plus(RESOLVE_AGAIN_AFTER))) {
            return lastResolvingChanged;
        }
        ResolvedCredentials fresh = source.credentialsFor(registry);
        lastResolvedAgain = now;
        lastResolvingChanged = !fresh.equals(credentials);
        if (lastResolvingChanged) {
            LOG.info("registry {} refused the credentials in use; using new ones from {}", registry, fresh.origin());
            credentials = fresh;
            tokens.invalidateAll();
        }
        return lastResolvingChanged;
    }

    /** Records the challenge of a 401 answer; returns true when it differs from what was known. */
    public boolean learn(List<String> wwwAuthenticate) {
        Optional<AuthChallenge> offered = AuthChallenge.preferred(wwwAuthenticate);
        if (offered.isEmpty()) {
            return false;
        }
        synchronized (challengeLock) {
            AuthChallenge previous = challenge;
            AuthChallenge next = offered.get();
            if (previous != null && previous.scheme().equals(next.scheme())
                    && previous.param("realm").equals(next.param("realm"))
                    && previous.param("service").equals(next.param("service"))) {
                return false;
            }
            challenge = new AuthChallenge(next.scheme(), withoutRequestDetails(next));
            forgotten = false;
        }
        tokens.invalidateAll();
        return true;
    }

    /**
     * Drops {@code failed}, unless another challenge was learned meanwhile. The registry may have moved its token
     * service: the ping that learned the challenge runs once, so only a 401 from the registry can say where it is now.
     */
    private void forget(AuthChallenge failed) {
        synchronized (challengeLock) {
            if (challenge == failed) {
                challenge = null;
                forgotten = true;
            }
        }
    }

    private static java.util.Map<String, String> withoutRequestDetails(AuthChallenge c) {
        // scope and error describe one request; keep only what applies to every request.
        java.util.Map<String, String> params = new java.util.HashMap<>(c.params());
        params.remove("scope");
        params.remove("error");
        return params;
    }

    /** {@link #authorization(List, long)} for a request with no budget of its own: a token fetch has the response timeout. */
    public Optional<String> authorization(List<String> scopes) {
        return authorization(scopes, System.nanoTime() + NO_BUDGET.toNanos());
    }

    /**
     * The header value for a request that needs {@code scopes}, or empty to send none. A token fetched for it must
     * come before {@code deadline} ({@link System#nanoTime}), the end of the request's retry budget.
     */
    public Optional<String> authorization(List<String> scopes, long deadline) {
        ResolvedCredentials resolved = credentials();
        Credentials c = resolved.credentials();
        AuthChallenge current = challenge;
        if (current == null && forgotten) {
            // The registry asked for tokens before: a token meant for its token service must not go to it as it is.
            return Optional.empty();
        }
        if (current == null || !current.isBearer()) {
            if (c instanceof Credentials.Token token) {
                return Optional.of("Bearer " + token.token());
            }
            if (current != null && c instanceof Credentials.Basic basic) {
                return Optional.of(TokenExchange.basicHeader(basic));
            }
            return Optional.empty();
        }
        return Optional.of(tokens.authorization(scopes, () -> fetch(current, scopes, resolved, deadline)));
    }

    /**
     * Called once after a 401 to a request sent with {@code sentAuthorization}. Returns true when
     * sending the request again may succeed: a new challenge was learned, or a cached token was
     * dropped and a fresh one will be fetched.
     */
    public boolean retryAfterUnauthorized(List<String> wwwAuthenticate, List<String> scopes, Optional<String> sentAuthorization) {
        if (learn(wwwAuthenticate)) {
            return true;
        }
        AuthChallenge current = challenge;
        if (current != null && current.isBearer() && sentAuthorization.isPresent() && tokens.dropIfSent(scopes, sentAuthorization.get())) {
            return true;
        }
        return resolveAgain();
    }

    /** Drops every cached token (for tests and after credentials changed). */
    public void forgetTokens() {
        tokens.invalidateAll();
    }

    private BearerToken fetch(AuthChallenge bearer, List<String> scopes, ResolvedCredentials resolved, long deadline) {
        try {
            return fetchOrResolveAgain(bearer, scopes, resolved, deadline);
        } catch (StorageException e) {
            // Refused credentials say nothing about where the token service is; anything else may be a realm that moved.
            if (e.kind() != StorageException.Kind.UNAUTHORIZED) {
                forget(bearer);
            }
            throw e;
        }
    }

    private BearerToken fetchOrResolveAgain(AuthChallenge bearer, List<String> scopes, ResolvedCredentials resolved, long deadline) {
        try {
            return fetchOnce(bearer, scopes, resolved, deadline);
        } catch (StorageException e) {
            if (e.kind() != StorageException.Kind.UNAUTHORIZED || !resolveAgain()) {
                throw e;
            }
            return fetchOnce(bearer, scopes, credentials(), deadline);
        }
    }

    private BearerToken fetchOnce(AuthChallenge bearer, List<String> scopes, ResolvedCredentials resolved, long deadline) {
        Credentials c = resolved.credentials();
        TokenExchange.Outcome outcome = exchange.fetch(bearer, scopes, c, registry, deadline);
        if (outcome instanceof TokenExchange.Outcome.Refused && c instanceof Credentials.Token token) {
            outcome = exchange.fetchWithTokenAsPassword(bearer, scopes, token, registry, deadline);
        }
        if (outcome instanceof TokenExchange.Outcome.Granted granted) {
            return granted.token();
        }
        TokenExchange.Outcome.Refused refused = (TokenExchange.Outcome.Refused) outcome;
        int status = refused.status();
        String scopeText = scopes.isEmpty() ? "" : " for " + String.join(" ", scopes);
        boolean credentialsRefused = status == 401 || status == 403 || status == 400;
        if (!credentialsRefused) {
            throw new TokenServerFailure("the token server of registry " + registry + " failed with HTTP " + status + scopeText
                    + "; try again later or check the registry's auth service", status, refused.headers());
        }
        if (resolved.isAnonymous()) {
            throw new StorageException(StorageException.Kind.UNAUTHORIZED, "registry " + registry
                    + " requires credentials" + scopeText + " and none were found: give a username and password or"
                    + " token (flags or environment variables) or run"
                    + " 'docker login " + registry + "' (token server answered HTTP " + status + ")");
        }
        throw new StorageException(StorageException.Kind.UNAUTHORIZED, "registry " + registry
                + " (its token server) refused " + resolved.describeUser() + scopeText + " (HTTP " + status
                + "): check the username and password or token from " + resolved.origin());
    }
}
