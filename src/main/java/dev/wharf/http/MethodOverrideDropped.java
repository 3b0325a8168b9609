package dev.wharf.http;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Drops {@code X-HTTP-Method-Override} before any handler sees the request, so that Wharf routes
 * and answers by the request line's method alone.
 *
 * <p>Javalin routes by the header's method when it is there: a GET carrying
 * {@code X-HTTP-Method-Override: PUT} would reach the publish routes past a proxy or firewall that
 * lets only GET through. boring-registry and EPR (Go's net/http) and the Terraform CLI know no such
 * header, so it is dropped as they ignore it rather than refused: a client that sends it gets the
 * answer to the method it really sent, as from the Go servers. Dropped here, in the connector's
 * customizers, because every request of every listener passes them before the first handler.
 */
final class MethodOverrideDropped implements HttpConfiguration.Customizer {
    static final String HEADER = "X-HTTP-Method-Override";

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        HttpFields headers = request.getHeaders();
        if (!headers.contains(HEADER)) {
            return request;
        }
        HttpFields without = HttpFields.build(headers).remove(HEADER).asImmutable();
        return new Request.Wrapper(request) {
            @Override
            public HttpFields getHeaders() {
                return without;
            }
        };
    }
}
