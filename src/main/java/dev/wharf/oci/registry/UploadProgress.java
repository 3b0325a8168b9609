package dev.wharf.oci.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Watches a request body go out, so that an upload the registry stops taking can be abandoned
 * after an idle spell instead of after a fixed timeout that would have to fit the largest blob.
 * The JDK pulls the next buffer only when the socket took the previous one, so the time of the
 * last pull is the time the upload last moved.
 */
final class UploadProgress implements HttpRequest.BodyPublisher {
    /** How often a waiting upload looks at its progress. */
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(200);

    private final HttpRequest.BodyPublisher delegate;
    private volatile long lastMove = System.nanoTime();
    private volatile long finishedAt;
    private volatile boolean finished;

    UploadProgress(HttpRequest.BodyPublisher delegate) {
        this.delegate = delegate;
    }

    /** Nanoseconds (System.nanoTime) of the last buffer taken, or of the end of the body. */
    long lastMove() {
        return finished ? finishedAt : lastMove;
    }

    boolean finished() {
        return finished;
    }

    /**
     * Sends {@code request} (whose body is this publisher) and waits while the upload moves: it
     * fails when the registry takes no bytes for the idle timeout, or gives no answer within the
     * response timeout after the last byte. A fixed request timeout would either cut large blobs on
     * slow links or let a stalled one hang.
     */
    <T> HttpResponse<T> send(HttpClient http, HttpRequest request, HttpResponse.BodyHandler<T> handler, RegistryTimeouts timeouts)
            throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<T>> answer = http.sendAsync(request, handler);
        while (true) {
            try {
                return answer.get(WATCH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                long quiet = System.nanoTime() - lastMove();
                if (!finished() && quiet > timeouts.idle().toNanos()) {
                    answer.cancel(true);
                    throw new HttpTimeoutException("the registry took no upload bytes for " + timeouts.idle().toMillis() + " ms");
                }
                if (finished() && quiet > timeouts.response().toNanos()) {
                    answer.cancel(true);
                    throw new HttpTimeoutException("no answer within " + timeouts.response().toMillis() + " ms after the upload");
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw io;
                }
                if (cause instanceof UncheckedIOException unchecked) {
                    throw unchecked.getCause();
                }
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IOException(cause);
            } catch (InterruptedException e) {
                answer.cancel(true);
                throw e;
            }
        }
    }

    @Override
    public long contentLength() {
        return delegate.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        lastMove = System.nanoTime();
        delegate.subscribe(new Flow.Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscriber.onSubscribe(subscription);
            }

            @Override
            public void onNext(ByteBuffer item) {
                lastMove = System.nanoTime();
                subscriber.onNext(item);
            }

            @Override
            public void onError(Throwable throwable) {
                subscriber.onError(throwable);
            }

            @Override
            public void onComplete() {
                finishedAt = System.nanoTime();
                finished = true;
                subscriber.onComplete();
            }
        });
    }
}
