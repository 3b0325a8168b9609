package dev.wharf.oci.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;

/**
 * Tells the {@link RegistryCallObserver} of each HTTP exchange {@link RegistryTransport} makes, every
 * attempt and redirect hop on its own: a retried call shows as its attempts, so the metrics see what the
 * registry saw.
 */
final class ObservedExchanges {
    /** One HTTP exchange, as {@link #send} times it. */
    interface Exchange {
        HttpResponse<InputStream> send() throws IOException, InterruptedException;
    }

    private final RegistryCallObserver observer;

    ObservedExchanges(RegistryCallObserver observer) {
        this.observer = observer;
    }

    /**
     * Runs {@code exchange} for {@code call} sent to {@code target}, timing it until the answer's headers; an
     * exchange that got no answer counts with status 0. The operation is named from the call's own path, or
     * from the target's when the call was given a whole URL (a {@code Link} page, an upload's Location).
     */
    HttpResponse<InputStream> send(RegistryCall call, URI target, String method, Exchange exchange)
            throws IOException, InterruptedException {
        String operation = RegistryCallObserver.operation(method, call.path().startsWith("/") ? call.path() : target.getRawPath()
                + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()));
        long start = System.nanoTime();
        try {
            HttpResponse<InputStream> answer = exchange.send();
            observer.called(operation, answer.statusCode(), System.nanoTime() - start);
            return answer;
        } catch (IOException e) {
            observer.called(operation, 0, System.nanoTime() - start);
            throw e;
        }
    }
}
