package dev.wharf.http;

import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * How many requests the server is working on: counted up by the outermost handler, down when
 * Jetty reports the request complete ({@link ExchangeObserver}). {@link WebServer} installs the
 * handler when it is given one of these among its observers.
 */
public final class InFlightRequests implements ExchangeObserver {
    private final AtomicLong count = new AtomicLong();

    public long count() {
        return count.get();
    }

    @Override
    public void exchanged(Exchange exchange) {
        count.decrementAndGet();
    }

    Handler.Wrapper handler() {
        return new Handler.Wrapper() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                count.incrementAndGet();
                return super.handle(request, response, callback);
            }
        };
    }
}
