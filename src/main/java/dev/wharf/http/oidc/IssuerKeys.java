package dev.wharf.http.oidc;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The issuer's JWKS, fetched once and kept. A token naming a key the cached set lacks makes it fetch
 * the set again (the issuer has rotated its keys), at most once per cooldown so that a stream of
 * forged key ids cannot turn Wharf into a load generator against the issuer. A fetch that failed is
 * not tried again for {@link IssuerDiscovery#RETRY}: until then a token the keys held cannot check
 * is refused at once, with that failure, instead of every request waiting in turn on an issuer
 * that does not answer.
 */
final class IssuerKeys implements JWKSource<SecurityContext> {
    private final URI jwksUri;
    private final Function<URI, String> fetch;
    private final Clock clock;
    private final Duration cooldown;
    private @Nullable JWKSet keys;
    private @Nullable Instant fetchedAt;
    private @Nullable Instant failedAt;
    private @Nullable KeySourceException failure;

    IssuerKeys(URI jwksUri, Function<URI, String> fetch, Clock clock, Duration cooldown) {
        this.jwksUri = jwksUri;
        this.fetch = fetch;
        this.clock = clock;
        this.cooldown = cooldown;
    }

    @Override
    public synchronized List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        if (keys == null) {
            refresh();
        }
        List<JWK> found = selector.select(keys);
        if (found.isEmpty() && (fetchedAt == null || clock.instant().isAfter(fetchedAt.plus(cooldown)))) {
            refresh();
            found = selector.select(keys);
        }
        return found;
    }

    private void refresh() throws KeySourceException {
        KeySourceException last = failure;
        if (last != null && failedAt != null && !clock.instant().isAfter(failedAt.plus(IssuerDiscovery.RETRY))) {
            if (keys != null) {
                return;  // the keys held stay in use until the issuer may be asked again
            }
            throw new KeySourceException(last.getMessage(), last);
        }
        try {
            String body;
            try {
                body = fetch.apply(jwksUri);
            } catch (OidcException e) {
                throw new KeySourceException(e.getMessage(), e);
            }
            try {
                keys = JWKSet.parse(body);
            } catch (ParseException e) {
                throw new KeySourceException("the issuer's JWKS at " + jwksUri + " is not a JSON Web Key Set: " + e.getMessage(), e);
            }
        } catch (KeySourceException e) {
            failure = e;
            failedAt = clock.instant();
            throw e;
        }
        fetchedAt = clock.instant();
        failure = null;
        failedAt = null;
    }
}
