package dev.wharf.http.oidc;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuer's discovery document. It is read at start; an issuer that cannot be reached then is
 * asked again when the document is needed, at most every {@link #RETRY}, until it answers. So a
 * server whose identity provider is down still starts, and serves whoever brings a token of another
 * kind (static, tokens file), as kube-apiserver's OIDC authenticator does; OIDC tokens are refused,
 * saying why, until the issuer answers. A document that names another issuer or no keys fails the
 * start: that is a setting to fix, not an outage to wait out. A trusted publisher's issuer
 * ({@link #later}) is first asked when a token of it comes, and a wrong document refuses the token.
 */
public final class IssuerDiscovery {
    public static final Duration RETRY = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(IssuerDiscovery.class);

    private final URI issuer;
    private final URI document;
    private final IssuerFetch fetch;
    private final Clock clock;
    private volatile @Nullable OidcProviderMetadata known;
    // Guarded by this: the one question in flight, when to ask next, and why the last one failed.
    private @Nullable CompletableFuture<Optional<OidcProviderMetadata>> asking;
    private Instant nextAsk = Instant.MIN;
    private String failure = "";
    private boolean unreachable;

    private IssuerDiscovery(URI issuer, IssuerFetch fetch, Clock clock) {
        this.issuer = issuer;
        this.document = URI.create(stripSlash(issuer.toString()) + "/.well-known/openid-configuration");
        this.fetch = fetch;
        this.clock = clock;
    }

    /** Reads the document now; throws {@link OidcException} when it is wrong, and leaves it for later when the issuer does not answer. */
    static IssuerDiscovery read(URI issuer, IssuerFetch fetch, Clock clock) {
        IssuerDiscovery discovery = new IssuerDiscovery(issuer, fetch, clock);
        try {
            discovery.known = discovery.parse(fetch.apply(discovery.document));
        } catch (IssuerUnreachableException e) {
            synchronized (discovery) {
                discovery.failed(e);
            }
        }
        return discovery;
    }

    /** Asks nothing yet: the first {@link #ask} does. */
    static IssuerDiscovery later(URI issuer, IssuerFetch fetch, Clock clock) {
        return new IssuerDiscovery(issuer, fetch, clock);
    }

    /** The document, if the issuer has answered; never waits. */
    Optional<OidcProviderMetadata> known() {
        return Optional.ofNullable(known);
    }

    /** The issuer as configured. */
    URI issuer() {
        return issuer;
    }

    /** Why the issuer has not answered yet ("" once it has). */
    synchronized String failure() {
        return known == null ? failure : "";
    }

    /**
     * Whether the issuer has not answered yet because it cannot be reached (or has not been asked),
     * rather than because its document is wrong: a passing state, in which no token can be checked.
     */
    synchronized boolean unanswered() {
        return known == null && (failure.isEmpty() || unreachable);
    }

    /**
     * The document: at once when known, else from a question to the issuer, unless one was asked less
     * than {@link #RETRY} ago (then empty at once). Concurrent callers share one question.
     */
    synchronized CompletableFuture<Optional<OidcProviderMetadata>> ask() {
        OidcProviderMetadata metadata = known;
        if (metadata != null) {
            return CompletableFuture.completedFuture(Optional.of(metadata));
        }
        if (asking != null && !asking.isDone()) {
            return asking;
        }
        if (clock.instant().isBefore(nextAsk)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        CompletableFuture<Optional<OidcProviderMetadata>> question = fetch.applyAsync(document)
                .thenApply(this::parse)
                .handle(this::answered);
        asking = question;
        return question;
    }

    private synchronized Optional<OidcProviderMetadata> answered(@Nullable OidcProviderMetadata metadata, @Nullable Throwable failure) {
        if (metadata != null) {
            known = metadata;
            LOG.info("the OIDC issuer {} answered: its tokens are accepted from now on", issuer);
            return Optional.of(metadata);
        }
        Throwable cause = IssuerFetch.cause(Objects.requireNonNull(failure));
        failed(cause instanceof OidcException e ? e : new OidcException("cannot read " + document + ": " + cause));
        return Optional.empty();
    }

    private void failed(OidcException e) {
        nextAsk = clock.instant().plus(RETRY);
        String why = String.valueOf(e.getMessage());
        // Said when the reason changes, not at every question: an issuer down for an hour is one warning.
        if (!why.equals(failure)) {
            LOG.warn("{}; OIDC tokens are refused until the issuer answers, and it is asked again at most every {} s", why, RETRY.toSeconds());
        }
        failure = why;
        unreachable = e instanceof IssuerUnreachableException;
    }

    private OidcProviderMetadata parse(String body) {
        OidcProviderMetadata metadata;
        try {
            metadata = JSON.readValue(body, OidcProviderMetadata.class);
        } catch (IOException e) {
            throw new OidcException("the OIDC discovery document at " + document + " is not valid JSON: " + e.getMessage(), e);
        }
        if (metadata.issuer() == null || !stripSlash(metadata.issuer()).equals(stripSlash(issuer.toString()))) {
            throw new OidcException("the OIDC discovery document at " + document + " names issuer '" + metadata.issuer()
                    + "', not the configured " + issuer);
        }
        if (metadata.jwksUri() == null) {
            throw new OidcException("the OIDC discovery document at " + document + " has no jwks_uri");
        }
        return metadata;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
