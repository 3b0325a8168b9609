package dev.wharf.oci.auth;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One request to a token service: a GET (Basic credentials in {@code authorization}, or none) or a
 * POST of an OAuth2 {@code form}. {@code origin} is the realm the registry named, which a redirect
 * is judged against.
 */
record TokenRequest(URI origin, String method, URI uri, @Nullable String authorization, @Nullable String form) {
    static TokenRequest get(URI uri, @Nullable String authorization) {
        return new TokenRequest(uri, "GET", uri, authorization, null);
    }

    static TokenRequest post(URI uri, String form) {
        return new TokenRequest(uri, "POST", uri, null, form);
    }

    HttpRequest build(Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        if (form != null) {
            builder.header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        } else {
            builder.GET();
        }
        return builder.build();
    }

    /**
     * The request to send after a {@code status} redirect to {@code to}, as Go's http.Client follows it for
     * Docker's token fetch: 301, 302 and 303 turn a POST into a GET without body, 307 and 308 repeat it; the
     * {@code Authorization} header goes only to the realm's host or a subdomain of it, and once dropped stays
     * dropped. Stricter than Go in two ways: nothing secret goes from HTTPS to plain HTTP, and a refresh token
     * form is not repeated to another host (Go repeats a body whatever the host); empty then.
     */
    Optional<TokenRequest> redirected(int status, URI to) {
        boolean trusted = trusted(to);
        if (status != 307 && status != 308) {
            return Optional.of(new TokenRequest(origin, "GET", to, trusted ? authorization : null, null));
        }
        if (form != null && !trusted) {
            return Optional.empty();
        }
        return Optional.of(new TokenRequest(origin, method, to, trusted ? authorization : null, form));
    }

    private boolean trusted(URI to) {
        String from = origin.getHost();
        String host = to.getHost();
        if (from == null || host == null) {
            return false;
        }
        boolean downgrade = "https".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(to.getScheme());
        from = from.toLowerCase(Locale.ROOT);
        host = host.toLowerCase(Locale.ROOT);
        return !downgrade && (host.equals(from) || host.endsWith("." + from));
    }
}
