package dev.wharf.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Marks {@code Connection: close} on an answer that goes out before its request's body has all
 * arrived, whoever answers: a route, a ready answer, a 404, the credential throttle's 429,
 * {@code OPTIONS *}. Jetty closes the connection after such an answer all the same, on the bytes
 * still to come (they cannot be told from the next request), but said so on some answers only (a
 * 404, a route's refusal of a PUT): a route's answer to a GET and a ready answer went out without
 * it, and a client that kept the connection for its next request (the JDK's HttpClient does, and
 * does not send a PUT again) lost that request ("header parser received no bytes"). Go's server,
 * which boring-registry and EPR run on, reads up to 256 KB of what is left before it answers, and
 * says {@code Connection: close} when it cannot; here what has arrived is dropped without waiting
 * for more, as a ready answer is written on a selector thread, which must not wait.
 *
 * <p>Outermost, so that every answer passes here. A request without a body (no Content-Length or
 * Content-Length: 0, and no Transfer-Encoding), which is nearly every request and every ready
 * answer, is passed on as it came: its answer costs no more than before.
 */
final class UnreadBodies extends Handler.Wrapper {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (bodiless(request)) {
            return super.handle(request, response, callback);
        }
        return super.handle(request, new Response.Wrapper(request, response) {
            private boolean checked;

            @Override
            public void write(boolean last, ByteBuffer content, Callback done) {
                if (!checked) {
                    checked = true;
                    closeIfUnread(request, this);
                }
                super.write(last, content, done);
            }
        }, callback);
    }

    /**
     * Whether the request has no body by its head (RFC 9112 §6.3): Jetty's length is -1 without a
     * Content-Length, a chunked body included. Looked up field by field, with no iterator made.
     */
    private static boolean bodiless(Request request) {
        long length = request.getLength();
        if (length >= 0) {
            return length == 0;
        }
        HttpField coding = request.getHeaders().getField(HttpHeader.TRANSFER_ENCODING);
        return coding == null;
    }

    /**
     * Before the answer's headers are written: drops the body as far as it has arrived and, if more
     * is to come, says the connection closes. A body the handler read whole keeps the connection.
     */
    private static void closeIfUnread(Request request, Response response) {
        if (!response.isCommitted() && !request.consumeAvailable()) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
    }
}
