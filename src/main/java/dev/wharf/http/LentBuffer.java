package dev.wharf.http;

import dev.wharf.oci.FileChunks;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * The one buffer a response lends its content source ({@link dev.wharf.oci.ChunkSource#next(Supplier)}):
 * a direct buffer from Jetty's pool, taken only if the source asks (a file does, a registry's stream
 * does not), and given back once the response is done with the source. Jetty has either written a
 * chunk or failed its write before the pump asks for the next one or ends, so the buffer is never
 * refilled or pooled again while Jetty still holds it.
 */
final class LentBuffer implements Supplier<ByteBuffer> {
    private final @Nullable ByteBufferPool pool;
    private @Nullable RetainableByteBuffer pooled;
    private @Nullable ByteBuffer lent;

    private LentBuffer(@Nullable ByteBufferPool pool) {
        this.pool = pool;
    }

    /** Lends from the pool of the server {@code ctx} runs in; from the heap outside Jetty's servlets. */
    static LentBuffer of(Context ctx) {
        ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
        return new LentBuffer(request == null ? null : request.getComponents().getByteBufferPool());
    }

    @Override
    public ByteBuffer get() {
        ByteBuffer buffer = lent;
        if (buffer == null) {
            if (pool != null) {
                RetainableByteBuffer taken = pool.acquire(FileChunks.CHUNK, true);
                pooled = taken;
                buffer = taken.getByteBuffer();
            } else {
                buffer = ByteBuffer.allocate(FileChunks.CHUNK);
            }
            lent = buffer;
        }
        return buffer;
    }

    /** Gives the buffer back to the pool; call once the source is closed. */
    void giveBack() {
        RetainableByteBuffer taken = pooled;
        pooled = null;
        lent = null;
        if (taken != null) {
            taken.release();
        }
    }
}
