package dev.wharf.oci.registry.jetty;

import dev.wharf.oci.BodyWait;
import dev.wharf.oci.DeadlineBody;
import dev.wharf.oci.TransferFloor;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Invocable;
import org.jspecify.annotations.Nullable;

/**
 * An answer body read straight from Jetty's content chunks: the reading thread pulls the next chunk
 * (Jetty fills it from the socket on that thread when bytes are there), copies it out and gives the
 * pooled buffer back. Nothing is read ahead of the reader beyond one network buffer, so a blob
 * streams in constant memory, and while nobody reads no thread waits. A registry that sends nothing
 * for {@code idle} while someone waits fails the read, as {@code IdleBoundedBody} does for the JDK client, and so
 * does a body that has not arrived whole by the deadline it may be given ({@link DeadlineBody}).
 * {@link #take} hands out the chunks themselves instead, for a reader that writes them on without a
 * copy ({@link VerifiedJettyChunks}) and gives each back when done.
 *
 * <p>One thread reads at a time; {@link #close()} may come from another (a client that went away).
 */
final class ContentSourceStream extends InputStream implements DeadlineBody {
    private final Content.Source source;
    private final Request request;
    private final BodyWait wait;
    private final Semaphore readable = new Semaphore(0);
    /** Only wakes the reader, so Jetty may run it on its selector thread instead of handing it to a pool thread. */
    private final Runnable wake = Invocable.from(Invocable.InvocationType.NON_BLOCKING, readable::release);
    private Content.@Nullable Chunk chunk;
    private boolean ended;
    private boolean closed;
    /** Bytes of the body that have arrived, for the words of a body cut short. */
    private long received;

    ContentSourceStream(Content.Source source, Request request, Duration idle) {
        this.source = source;
        this.request = request;
        this.wait = new BodyWait(idle);
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
        while (true) {
            synchronized (this) {
                ByteBuffer bytes = unread();
                if (bytes != null) {
                    int n = Math.min(len, bytes.remaining());
                    bytes.get(b, off, n);
                    return n;
                }
                if (ended) {
                    return -1;
                }
                source.demand(wake);
            }
            awaitBytes();
        }
    }

    /**
     * The next bytes as Jetty's own chunk, without copying them: the caller owns it and releases it
     * (then its pooled buffer is read into again). Null at the end. Waits as {@link #read} does.
     */
    Content.@Nullable Chunk take() throws IOException {
        while (true) {
            synchronized (this) {
                if (unread() != null) {
                    Content.Chunk taken = chunk;
                    chunk = null;
                    return taken;
                }
                if (ended) {
                    return null;
                }
                source.demand(wake);
            }
            awaitBytes();
        }
    }

    @Override
    public synchronized int available() {
        Content.Chunk now = chunk;
        return now == null ? 0 : now.remaining();
    }

    /** The current chunk's unread bytes, pulling the next chunk when it is spent; null when none is there yet or at the end. */
    private @Nullable ByteBuffer unread() throws IOException {
        while (true) {
            if (closed) {
                throw new IOException("the answer body was closed");
            }
            Content.Chunk now = chunk;
            if (now != null) {
                if (now.hasRemaining()) {
                    return now.getByteBuffer();
                }
                chunk = null;
                now.release();
                if (now.isLast()) {
                    ended = true;
                }
            }
            if (ended) {
                return null;
            }
            Content.Chunk next = source.read();
            if (next == null) {
                return null;
            }
            if (Content.Chunk.isFailure(next)) {
                ended = true;
                throw readFailure(next.getFailure());
            }
            chunk = next;
            received += next.remaining();
            wait.arrived(next.remaining(), this::abandon);
        }
    }

    /**
     * Jetty's end-of-stream failure has its connection's whole internal state for a message (hundreds of characters of
     * "oejcti.HttpConnectionOverHTTP@…"), which would reach /health, the log and an answer's reason: it is said in
     * words, kept as the cause, and stays an {@link EOFException}, which the retry rules read as a connection cut.
     */
    private IOException readFailure(Throwable failure) {
        if (failure instanceof EOFException) {
            EOFException cut = new EOFException("the registry closed the connection after " + received
                    + " bytes of the answer's body, before its end");
            cut.initCause(failure);
            return cut;
        }
        return failure instanceof IOException io ? io : new IOException(String.valueOf(failure.getMessage()), failure);
    }

    private void awaitBytes() throws IOException {
        boolean woken;
        long waitStarted = wait.waitStarted();
        try {
            woken = readable.tryAcquire(wait.nanos(this::abandon), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(e);
            throw new IOException("interrupted while reading from the registry", e);
        } finally {
            wait.waitEnded(waitStarted);
        }
        if (!woken) {
            throw wait.expired(this::abandon);
        }
    }

    /** Gives up the rest of the body: Jetty then closes the connection instead of reusing it. */
    private synchronized void abandon(Throwable why) {
        ended = true;
        request.abort(why);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Content.Chunk now = chunk;
        chunk = null;
        if (now == null && !ended) {
            // A reader that took exactly the bytes announced has not seen the end yet; when it is
            // already there the connection goes back to the pool instead of being closed.
            now = source.read();
        }
        if (now != null) {
            ended |= now.isLast() && !now.hasRemaining() && !Content.Chunk.isFailure(now);
            now.release();
        }
        if (!ended) {
            abandon(new IOException("the answer body was closed before its end"));
        }
    }
}
