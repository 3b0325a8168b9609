package dev.wharf.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * A small answer (an issuer's JSON documents, a Wharf server's answer to a publish) read whole as
 * text, up to a limit: an answer past it is not the one expected, and is refused as it arrives,
 * the exchange cancelled, instead of being held in memory whole.
 */
public final class LimitedBody implements HttpResponse.BodySubscriber<String> {
    /** The answer went past the limit. */
    public static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("answered more than " + limit + " bytes");
        }
    }

    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<String> body = new CompletableFuture<>();
    private Flow.@Nullable Subscription subscription;

    private LimitedBody(int limit) {
        this.limit = limit;
    }

    /** Reads answers of up to {@code limit} bytes; a larger one fails the exchange with {@link TooLarge}. */
    public static HttpResponse.BodyHandler<String> handler(int limit) {
        return response -> new LimitedBody(limit);
    }

    /** The {@link TooLarge} among the causes of {@code failure} (the JDK's {@code send} wraps it in another IOException), if any. */
    public static @Nullable TooLarge tooLarge(@Nullable Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TooLarge large) {
                return large;
            }
        }
        return null;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (body.isDone()) {
            return;
        }
        for (ByteBuffer item : items) {
            if (bytes.size() + (long) item.remaining() > limit) {
                if (subscription != null) {
                    subscription.cancel();
                }
                body.completeExceptionally(new TooLarge(limit));
                return;
            }
            byte[] chunk = new byte[item.remaining()];
            item.get(chunk);
            bytes.writeBytes(chunk);
        }
    }

    @Override
    public void onError(Throwable failure) {
        body.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
        body.complete(bytes.toString(StandardCharsets.UTF_8));
    }

    @Override
    public CompletionStage<String> getBody() {
        return body;
    }
}
