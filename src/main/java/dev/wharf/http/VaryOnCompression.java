package dev.wharf.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Adds {@code Vary: Accept-Encoding} to every answer Javalin compressed: Javalin gzips an answer
 * of a route (the metrics address's {@code /health} and {@code /metrics} among them) for a client
 * that accepts it without saying so, and a cache in front could keep the gzipped copy for clients
 * that cannot read it. The answers Wharf compresses itself ({@link ReadyAnswer}) say it already.
 * Looked at when the first bytes go out, after Javalin chose: only for a request that accepts
 * some encoding, the others are never compressed.
 */
final class VaryOnCompression extends Handler.Wrapper {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!request.getHeaders().contains(HttpHeader.ACCEPT_ENCODING)) {
            return super.handle(request, response, callback);
        }
        return super.handle(request, new Response.Wrapper(request, response) {
            @Override
            public void write(boolean last, ByteBuffer content, Callback done) {
                if (!isCommitted()) {
                    HttpFields.Mutable headers = getHeaders();
                    if (headers.contains(HttpHeader.CONTENT_ENCODING) && !headers.contains(HttpHeader.VARY, "Accept-Encoding")) {
                        headers.add(HttpHeader.VARY, "Accept-Encoding");
                    }
                }
                super.write(last, content, done);
            }
        }, callback);
    }
}
