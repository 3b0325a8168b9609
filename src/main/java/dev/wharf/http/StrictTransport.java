package dev.wharf.http;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * HSTS (RFC 6797) on every answer to a request that came over TLS, the server's own or a trusted proxy's
 * ({@code X-Forwarded-Proto}, applied by {@link ProxiedRequests} before this runs): a browser that once reached
 * Wharf over https goes on asking over https for a year, so a network attacker can no longer answer its
 * {@code http://} link or bookmark and take the session cookie's sign-in form over. Set here, as the request
 * is read, so every answer carries it whoever writes it: the routes, the answers kept in memory, the
 * throttle's 429. Never over plain http, where a browser ignores it anyway (RFC 6797 §8.1). No
 * {@code includeSubDomains}: Wharf cannot know which other hosts of its domain serve https; no {@code preload}
 * for the same reason.
 */
final class StrictTransport implements HttpConfiguration.Customizer {
    static final String POLICY = "max-age=31536000";
    private static final HttpField FIELD = new PreEncodedHttpField(HttpHeader.STRICT_TRANSPORT_SECURITY, POLICY);

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        if (request.isSecure() || HttpScheme.HTTPS.is(request.getHttpURI().getScheme())) {
            responseHeaders.put(FIELD);
        }
        return request;
    }
}
