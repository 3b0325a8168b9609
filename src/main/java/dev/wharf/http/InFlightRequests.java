package dev.wharf.http;

import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * How many requests the server is working on: counted up by the outermost handler, down when
 * Jetty reports that request complete. {@link WebServer} installs the
 * handler when it is given one of these among its observers.
 *
 * <p>A {@link LongAdder}, not one shared counter: both selector threads count every request up and
 * down, and a single counter's cache line would pass between them twice a request, as Micrometer's
 * histograms did ({@link BucketCounts}). It is read only when metrics are scraped.
 */
public final class InFlightRequests implements ExchangeObserver {
    private final LongAdder count = new LongAdder();

    public long count() {
        return count.sum();
    }

    /**
     * Nothing: the count goes down where it went up. Jetty logs requests no handler saw (a 400 or 431
     * from the parser, one refused while stopping), and counted down here they took the gauge below zero.
     */
    @Override
    public void exchanged(Exchange exchange) {
    }

    Handler.Wrapper handler() {
        return new Handler.Wrapper() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                count.increment();
                Request.addCompletionListener(request, failure -> count.decrement());
                return super.handle(request, response, callback);
            }
        };
    }
}
