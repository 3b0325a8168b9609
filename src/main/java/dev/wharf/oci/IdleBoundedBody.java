package dev.wharf.oci;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * An answer body read as a stream that fails when the registry sends nothing for {@code idle}, or
 * has not sent all of it by the deadline it may be given ({@link DeadlineBody}).
 * The JDK's own {@code ofInputStream} waits forever for the next bytes, so a registry that stops
 * in the middle of a blob would hold the reading thread (and the client it serves) indefinitely;
 * a request timeout cannot help because it ends when the headers arrive.
 *
 * <p>At most two buffer lists are held at a time (one being read, one requested), so a large blob
 * streams in constant memory.
 */
public final class IdleBoundedBody implements HttpResponse.BodySubscriber<InputStream> {
    /** Marks the end of the body (normal or failed); compared by identity. */
    private static final List<ByteBuffer> END = Collections.unmodifiableList(new ArrayList<>());

    private final BodyWait wait;
    private final BlockingQueue<List<ByteBuffer>> queue = new LinkedBlockingQueue<>();
    private volatile Flow.@Nullable Subscription subscription;
    private volatile @Nullable Throwable failure;

    private IdleBoundedBody(Duration idle) {
        this.wait = new BodyWait(idle);
    }

    public static HttpResponse.BodyHandler<InputStream> handler(Duration idle) {
        return info -> new IdleBoundedBody(idle);
    }

    @Override
    public CompletionStage<InputStream> getBody() {
        return CompletableFuture.completedFuture(new Stream());
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable t) {
        failure = t;
        queue.add(END);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    private final class Stream extends InputStream implements DeadlineBody {
        private Iterator<ByteBuffer> pending = Collections.emptyIterator();
        private @Nullable ByteBuffer current;
        private boolean ended;
        private boolean closed;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!advance()) {
                return -1;
            }
            ByteBuffer now = java.util.Objects.requireNonNull(current, "advance() leaves unread bytes");
            int n = Math.min(len, now.remaining());
            now.get(b, off, n);
            return n;
        }

        @Override
        public void arriveBy(long deadlineNanos, String within) {
            wait.arriveBy(deadlineNanos, within);
        }

        @Override
        public void keepAbove(TransferFloor floor) {
            wait.keepAbove(floor);
        }

        @Override
        public int available() {
            return current == null ? 0 : current.remaining();
        }

        /** Makes {@code current} hold unread bytes; false at the end of the body. */
        private boolean advance() throws IOException {
            while (current == null || !current.hasRemaining()) {
                if (closed) {
                    throw new IOException("the answer body was closed");
                }
                if (ended) {
                    return false;
                }
                if (pending.hasNext()) {
                    current = pending.next();
                    continue;
                }
                List<ByteBuffer> next;
                long waitStarted = wait.waitStarted();
                try {
                    next = queue.poll(wait.nanos(late -> cancel()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancel();
                    throw new IOException("interrupted while reading from the registry", e);
                } finally {
                    wait.waitEnded(waitStarted);
                }
                if (next == null) {
                    throw wait.expired(silent -> cancel());
                }
                if (next == END) {
                    ended = true;
                    Throwable t = failure;
                    if (t != null) {
                        throw t instanceof IOException io ? io : new IOException(t.getMessage(), t);
                    }
                    return false;
                }
                pending = next.iterator();
                wait.arrived(next.stream().mapToLong(ByteBuffer::remaining).sum(), slow -> cancel());
                Flow.Subscription s = subscription;
                if (s != null) {
                    s.request(1);
                }
            }
            return true;
        }

        private void cancel() {
            ended = true;
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                if (!ended) {
                    // Abandoning the rest: the JDK then closes the connection instead of reusing it.
                    cancel();
                }
            }
        }
    }
}
