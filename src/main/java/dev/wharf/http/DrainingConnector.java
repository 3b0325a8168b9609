package dev.wharf.http;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A connector whose graceful stop closes idle connections soon and lets the requests in flight
 * finish. When a stop begins, Jetty sets every connection's idle timeout to one second
 * ({@code shutdownIdleTimeout}): right for a kept-alive connection with nothing to do, which would
 * otherwise hold the stop for its whole idle timeout, but a download to a client that pauses
 * reading for a second (a rate-limited or busy link) was cut a few hundred milliseconds into the
 * drain. The connections that have a request in flight get their own idle timeout back;
 * {@code --shutdown-timeout} still bounds the drain as a whole.
 */
final class DrainingConnector extends ServerConnector {
    /** The network end points with a request in flight, counted by {@link #tracker()}. */
    private final Set<EndPoint> busy = ConcurrentHashMap.newKeySet();

    DrainingConnector(Server server, int selectors, ConnectionFactory... factories) {
        super(server, -1, selectors, factories);
    }

    /**
     * Notes each request's connection while it is in flight. HTTP/1.1 answers one request of a
     * connection at a time, so a set is enough.
     */
    Handler.Wrapper tracker() {
        return new Handler.Wrapper() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                EndPoint endPoint = network(request.getConnectionMetaData().getConnection().getEndPoint());
                busy.add(endPoint);
                Request.addCompletionListener(request, failure -> busy.remove(endPoint));
                return super.handle(request, response, callback);
            }
        };
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        CompletableFuture<Void> done = super.shutdown();
        for (EndPoint endPoint : getConnectedEndPoints()) {
            if (busy.contains(endPoint)) {
                endPoint.setIdleTimeout(getIdleTimeout());
            }
        }
        return done;
    }

    /** The socket's end point under TLS's (the one the connector lists and times out). */
    private static EndPoint network(EndPoint endPoint) {
        EndPoint e = endPoint;
        while (e instanceof EndPoint.Wrapper wrapper) {
            e = wrapper.unwrap();
        }
        return e;
    }
}
