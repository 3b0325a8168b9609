package dev.wharf.oci.registry;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/**
 * Watches a request body go out, so that an upload the registry stops taking can be abandoned
 * after an idle spell instead of after a fixed timeout that would have to fit the largest blob.
 * The JDK pulls the next buffer only when the socket took the previous one, so the time of the
 * last pull is the time the upload last moved.
 */
final class UploadProgress implements HttpRequest.BodyPublisher {
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
