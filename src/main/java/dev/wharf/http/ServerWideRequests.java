package dev.wharf.http;

import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers {@code OPTIONS *}, a question about the server rather than any resource (RFC 9110 §9.3.7),
 * before the router, which has no route for {@code *}: Jetty answered it 404 where Go's server,
 * which boring-registry and EPR run on, answers 200 with an empty body. Here it also says which
 * methods the server's routes take.
 *
 * <p>A CONNECT asking to close the connection gets it closed after its answer: Jetty keeps a
 * CONNECT's connection open whatever the request's {@code Connection} says (a granted CONNECT
 * becomes a tunnel), so a refused one sat idle until the idle timeout, where Go's server closes it.
 */
final class ServerWideRequests extends Handler.Wrapper {
    private final Supplier<String> allow;

    /** @param allow the methods the routes take, as an {@code Allow} value, read once the routes are known */
    ServerWideRequests(Supplier<String> allow) {
        this.allow = allow;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (HttpMethod.OPTIONS.is(request.getMethod()) && "*".equals(request.getHttpURI().getPath())) {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.ALLOW, allow.get());
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
            response.write(true, null, callback);
            return true;
        }
        if (HttpMethod.CONNECT.is(request.getMethod()) && request.getHeaders().contains(HttpHeader.CONNECTION, "close")) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        return super.handle(request, response, callback);
    }
}
