package dev.wharf.http;

import dev.wharf.oci.ChunkSource;
import io.javalin.http.Context;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.ee10.servlet.HttpOutput;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a {@link ChunkSource} into a response with the servlet's non-blocking writes: a chunk is
 * asked for only when Jetty is ready for it, and written without waiting for the client to take
 * it. While a client does not read, nothing here runs: the source stays paused (a registry stream
 * waits within its idle timeout) and the connection holds no thread until Jetty's idle timeout
 * ({@link ServerLimits}) ends it. Reading a chunk may still wait for storage, never for the client.
 */
final class ChunkPump implements WriteListener {
    private static final Logger LOG = LoggerFactory.getLogger(ChunkPump.class);

    private final Context ctx;
    private final HttpOutput out;
    private final ChunkSource chunks;
    private final LentBuffer buffer;
    private @Nullable ByteBuffer pending;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    ChunkPump(Context ctx, HttpOutput out, ChunkSource chunks, @Nullable ByteBuffer first, LentBuffer buffer) {
        this.ctx = ctx;
        this.out = out;
        this.chunks = chunks;
        this.buffer = buffer;
        this.pending = first;
    }

    /** Starts writing; the future completes when the response is written, cut, or abandoned. */
    CompletableFuture<Void> start() {
        out.setWriteListener(this);
        return done;
    }

    @Override
    public void onWritePossible() {
        while (out.isReady() && !done.isDone()) {
            ByteBuffer chunk = pending;
            pending = null;
            if (chunk == null) {
                try {
                    chunk = chunks.next(buffer);
                } catch (IOException | RuntimeException e) {
                    // Storage failed mid-way (a digest that does not match, a registry gone): the
                    // length is out already, so only a cut connection tells the client.
                    LOG.warn("cannot finish {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
                    ResponseBodies.abort(ctx, e);
                    finish();
                    return;
                }
            }
            if (chunk == null) {
                finish();
                return;
            }
            try {
                out.write(chunk);
            } catch (IOException | RuntimeException e) {
                LOG.debug("cannot finish {} {}: {}", ctx.method(), ctx.path(), e.toString());
                finish();
                return;
            }
        }
    }

    @Override
    public void onError(Throwable failure) {
        // The client went away or stalled past the idle timeout; Jetty closes the connection.
        LOG.debug("cannot finish {} {}: {}", ctx.method(), ctx.path(), failure.toString());
        finish();
    }

    private void finish() {
        ResponseBodies.closeQuietly(chunks);
        buffer.giveBack();
        done.complete(null);
    }
}
