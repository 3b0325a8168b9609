package dev.wharf.oci.registry;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.Set;

/**
 * Which answers the transport follows to another URL, and where: redirects, followed by hand (so an
 * {@code Authorization} header never travels with them to another host), and {@code Link} and
 * {@code Location} targets, all taken only when they are http or https URLs.
 */
final class RegistryRedirects {
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final int MAX_REDIRECTS = 5;

    private RegistryRedirects() {
    }

    static boolean isRedirect(int status) {
        return REDIRECTS.contains(status);
    }

    /**
     * The Location of an answer the transport follows after {@code hop} redirects: empty when the call does not follow
     * redirects, the answer is none, it names no Location or the hops are spent (the answer is then the caller's).
     */
    static Optional<String> followed(RegistryCall call, HttpResponse<InputStream> answer, int hop) {
        if (!call.followRedirects() || !isRedirect(answer.statusCode()) || hop >= MAX_REDIRECTS) {
            return Optional.empty();
        }
        return answer.headers().firstValue("Location");
    }

    /** The method of the next hop: a 303 says to GET what it names, whatever was sent. */
    static String nextMethod(int status, String method) {
        return status == 303 ? "GET" : method;
    }

    /** Where a redirect answer to a request for {@code from} points, if it is one and points at an http or https URL. */
    static Optional<URI> target(HttpResponse<InputStream> answer, URI from) {
        if (!isRedirect(answer.statusCode())) {
            return Optional.empty();
        }
        return answer.headers().firstValue("Location").flatMap(location -> httpTarget(from, location));
    }

    /**
     * {@code reference} (a Location, a Link) resolved against {@code from}, when it is an http or https URL with a host:
     * anything else (ftp://…, a Location with a space) had escaped from the JDK's URI parser or request builder as an
     * IllegalArgumentException, an internal error instead of a registry's fault.
     */
    static Optional<URI> httpTarget(URI from, String reference) {
        try {
            URI to = from.resolve(reference.trim());
            String scheme = to.getScheme();
            boolean http = scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"));
            return http && to.getHost() != null ? Optional.of(to) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
