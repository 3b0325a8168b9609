package dev.wharf.http.oidc;

import dev.wharf.http.LimitedBody;
import dev.wharf.http.TlsHandshakes;
import dev.wharf.oci.IoFailures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * GETs a small JSON document from the issuer (its discovery document, its JWKS). A failure to connect,
 * a timeout, a 5xx, a 408 or a 429 is {@link IssuerUnreachableException}: the issuer may answer later. Any
 * other status, or an answer past {@link #LIMIT}, is an {@link OidcException}: the URL is wrong.
 */
final class IssuerFetch implements Function<URI, String> {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Far above any issuer's documents (GitHub's JWKS: about 2 KB; a realm of Keycloak's with many keys: tens of KB). */
    static final int LIMIT = 1 << 20;

    private final HttpClient http;

    IssuerFetch(HttpClient http) {
        this.http = http;
    }

    @Override
    public String apply(URI uri) {
        try {
            return body(uri, http.send(request(uri), LimitedBody.handler(LIMIT)));
        } catch (IOException e) {
            OidcException wrong = tooLarge(uri, e);
            throw wrong != null ? wrong : unreachable(uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OidcException("interrupted while fetching " + uri, e);
        }
    }

    /** The same, without holding a thread while the issuer takes its time. */
    CompletableFuture<String> applyAsync(URI uri) {
        return http.sendAsync(request(uri), LimitedBody.handler(LIMIT))
                .handle((response, failure) -> {
                    if (failure == null) {
                        return body(uri, response);
                    }
                    Throwable cause = cause(failure);
                    OidcException wrong = tooLarge(uri, cause);
                    if (wrong != null) {
                        throw wrong;
                    }
                    if (cause instanceof IOException io) {
                        throw unreachable(uri, io);
                    }
                    throw new OidcException("cannot fetch " + uri + ": " + cause, cause);
                });
    }

    /** The refusal of an answer past the limit, when that is what failed. */
    private static @Nullable OidcException tooLarge(URI uri, @Nullable Throwable failure) {
        LimitedBody.TooLarge large = LimitedBody.tooLarge(failure);
        return large == null ? null : new OidcException(uri + " " + large.getMessage() + ", more than any OIDC document", large);
    }

    /** What failed, out of the wrapper a later stage of a future puts around it. */
    static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static HttpRequest request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json").GET().build();
    }

    private static String body(URI uri, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 500 || status == 429 || status == 408) {
            throw new IssuerUnreachableException(uri + " answered HTTP " + status);
        }
        if (status != 200) {
            throw new OidcException(uri + " answered HTTP " + status);
        }
        return response.body();
    }

    /**
     * A failed handshake counts as unreachable too, as kube-apiserver counts it: an issuer whose certificate expired
     * must not keep the server from starting for those with other tokens, and it is asked again once renewed.
     */
    private static IssuerUnreachableException unreachable(URI uri, IOException e) {
        String issuer = uri.getScheme() + "://" + uri.getAuthority();
        if (IoFailures.tlsHandshake(e)) {
            return new IssuerUnreachableException(TlsHandshakes.handshake("the OIDC issuer at " + issuer, e, "--auth-oidc-ca-file"), e);
        }
        String why = e instanceof HttpTimeoutException ? "no answer within " + TIMEOUT.toSeconds() + " s" : IoFailures.describe(e);
        return new IssuerUnreachableException("the OIDC issuer at " + issuer + " cannot be reached: " + why, e);
    }
}
