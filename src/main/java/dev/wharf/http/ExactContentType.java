package dev.wharf.http;

import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextResponse;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Sets a {@code Content-Type} header to exactly the given bytes. The servlet layer rewrites the
 * types it knows into its own spelling ({@code text/plain; charset=utf-8} becomes
 * {@code text/plain;charset=utf-8}); a client comparing answers with another server's byte for byte
 * (EPR's Go server keeps the space) must get the value as written.
 */
public final class ExactContentType {
    private ExactContentType() {
    }

    public static void set(Context ctx, String value) {
        // The servlet's own record first, so that nothing later supplies a default type...
        ctx.contentType(value);
        // ...then the header of the response underneath, which is what goes on the wire.
        ServletContextResponse servlet = ServletContextResponse.getServletContextResponse(ctx.res());
        if (servlet != null) {
            servlet.getWrapped().getHeaders().put(HttpHeader.CONTENT_TYPE, value);
        }
    }
}
