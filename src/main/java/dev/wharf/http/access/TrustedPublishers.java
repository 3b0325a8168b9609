package dev.wharf.http.access;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.wharf.http.oidc.ClaimedIssuer;
import dev.wharf.http.oidc.IssuerTokens;
import dev.wharf.http.oidc.TokenRejectedException;
import dev.wharf.http.oidc.TokenUncheckedException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Checks a bearer token against the tokens file's {@code publishers:}. Only a JWT whose (as yet
 * unchecked) {@code iss} is a listed issuer is looked at; its signature, audience and lifetime are
 * then checked against that issuer's keys ({@link IssuerTokens}), and its claims against each
 * entry of that issuer and audience. The issuers' keys are kept across edits of the file, so a new
 * entry for a known issuer costs no fetch.
 */
public final class TrustedPublishers {
    private static final Duration KEY_REFRESH_COOLDOWN = Duration.ofSeconds(30);

    private final Supplier<HttpClient> http;
    private final Clock clock;
    private final Map<IssuerAudience, IssuerTokens> issuers = new ConcurrentHashMap<>();

    /** @param http the client that fetches the issuers' documents, asked for when a token of an issuer not yet seen comes ({@link dev.wharf.http.oidc.IssuerClient}) */
    public TrustedPublishers(Supplier<HttpClient> http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    private record IssuerAudience(String issuer, String audience) {
    }

    /** What the token is to {@code publishers}: unknown when no listed issuer made it, else accepted or refused with why. */
    TokensFile.Check check(String token, List<TrustedPublisher> publishers) {
        Optional<String> issuer = ClaimedIssuer.of(token);
        if (issuer.isEmpty()) {
            return new TokensFile.Unknown();
        }
        Map<String, List<TrustedPublisher>> byAudience = new LinkedHashMap<>();
        for (TrustedPublisher publisher : publishers) {
            if (ClaimedIssuer.same(publisher.issuer().toString(), issuer.get())) {
                byAudience.computeIfAbsent(publisher.audience(), a -> new ArrayList<>()).add(publisher);
            }
        }
        if (byAudience.isEmpty()) {
            return new TokensFile.Unknown();
        }
        String refusal = "";
        boolean unchecked = false;
        for (Map.Entry<String, List<TrustedPublisher>> audience : byAudience.entrySet()) {
            URI configured = audience.getValue().get(0).issuer();
            JWTClaimsSet claims;
            try {
                claims = tokens(configured, audience.getKey()).verify(token);
            } catch (TokenRejectedException e) {
                // An audience mismatch says less than any other reason when several audiences are listed.
                String why = String.valueOf(e.getMessage());
                refusal = refusal.isEmpty() || !why.contains("audience") ? why : refusal;
                // One audience left unchecked for an outage could have let the token in.
                unchecked |= e instanceof TokenUncheckedException;
                continue;
            }
            return publisherOf(claims, audience.getValue());
        }
        return new TokensFile.Refused("the token of " + issuer.get() + " cannot be used: " + refusal, Optional.empty(), unchecked);
    }

    private static TokensFile.Check publisherOf(JWTClaimsSet claims, List<TrustedPublisher> candidates) {
        List<String> names = new ArrayList<>();
        List<Scope> scopes = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        for (TrustedPublisher publisher : candidates) {
            Optional<String> mismatch = publisher.mismatch(claims);
            if (mismatch.isEmpty()) {
                names.add(publisher.name());
                scopes.addAll(publisher.scopes());
            } else {
                mismatches.add(mismatch.get());
            }
        }
        String subject = claims.getSubject() == null ? "no subject" : claims.getSubject();
        if (names.isEmpty()) {
            return new TokensFile.Refused("the token of " + claims.getIssuer() + " for " + subject
                    + " is no trusted publisher's: " + String.join("; ", mismatches), Optional.of(subject), false);
        }
        return new TokensFile.Valid(new Caller(String.join("+", names) + " (" + subject + ")", scopes));
    }

    private IssuerTokens tokens(URI issuer, String audience) {
        return issuers.computeIfAbsent(new IssuerAudience(issuer.toString(), audience),
                key -> IssuerTokens.onFirstToken(issuer, Optional.of(audience), http.get(), clock, KEY_REFRESH_COOLDOWN));
    }
}
