package dev.wharf.http;

import dev.wharf.oci.BlobSink;
import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.FileChunks;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.eclipse.jetty.ee10.servlet.HttpOutput;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Large response bodies written straight into Jetty's output as {@link ByteBuffer}s, instead of
 * through Javalin's {@code ctx.result(InputStream)}: the handler stays in charge until the last
 * byte, so a body that fails half-way ends in a cut connection rather than an error page appended
 * to the download, and a file is read into Jetty's pooled direct buffers, its bytes going from the
 * page cache to the socket without a copy through the heap.
 */
public final class ResponseBodies {
    private ResponseBodies() {
    }

    /** Opens a response body's content, from storage or elsewhere. */
    @FunctionalInterface
    public interface Body {
        ChunkSource open() throws IOException;
    }

    /**
     * Writes {@code body} as the response of {@code ctx}, whose status and headers are set, without
     * holding a thread while the client reads: the first chunk is read here, the rest by a
     * {@link ChunkPump} that asks for each next chunk only once Jetty has written the one before, so
     * a client that stops reading leaves the content paused, not a request thread parked (400 such
     * clients once took every thread of the pool). A source that reads into a buffer (a file) is
     * lent one of Jetty's pooled direct buffers ({@link LentBuffer}). When opening the body or
     * reading its first chunk fails, the response is reset and the failure thrown, for the caller
     * to answer with an error of its protocol; a failure after that cuts the connection
     * ({@link #abort}).
     */
    public static void send(Context ctx, Body body) throws IOException {
        LentBuffer buffer = LentBuffer.of(ctx);
        ChunkSource chunks = null;
        ByteBuffer first;
        ServletOutputStream out;
        try {
            chunks = body.open();
            chunks = ranged(ctx, chunks);
            if (chunks == null) {
                buffer.giveBack();
                return;
            }
            first = chunks.next(buffer);
            out = ctx.res().getOutputStream();
        } catch (IOException | RuntimeException e) {
            closeQuietly(chunks);
            buffer.giveBack();
            ctx.res().reset();
            throw e;
        }
        if (out instanceof HttpOutput jetty) {
            ChunkPump pump = new ChunkPump(ctx, jetty, chunks, first, buffer);
            ctx.future(pump::start);
            return;
        }
        try (ChunkSource rest = chunks) {
            BlobSink sink = blockingSink(out);
            for (ByteBuffer chunk = first; chunk != null; chunk = rest.next(buffer)) {
                sink.write(chunk);
            }
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger(ResponseBodies.class).warn("cannot finish {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            abort(ctx, e);
        } finally {
            buffer.giveBack();
        }
    }

    /**
     * The part of {@code chunks} a GET's {@code Range} asks for, with 206 and its {@code Content-Range}
     * set, when the content can start anywhere ({@link ChunkSource#hasParts}: a file); the whole
     * otherwise, as a server may answer any Range. Null, with {@code chunks} closed, after a 416
     * for a range past the end. Read from the answer: its length and validators as the caller set them.
     */
    private static @Nullable ChunkSource ranged(Context ctx, ChunkSource chunks) throws IOException {
        String length = ctx.res().getHeader("Content-Length");
        if (!chunks.hasParts() || length == null || ctx.res().getStatus() != 200 || !"GET".equals(ctx.method().name())) {
            return chunks;
        }
        ByteRange asked = RangeAnswer.set(ctx, Long.parseLong(length));
        if (asked instanceof ByteRange.Part part) {
            return chunks.part(part.first(), part.length());
        }
        if (asked instanceof ByteRange.Unsatisfiable) {
            chunks.close();
            return null;
        }
        return chunks;
    }

    /** Writes into a servlet stream that is not Jetty's own, copying through the heap. */
    private static BlobSink blockingSink(ServletOutputStream out) {
        return chunk -> {
            if (chunk.hasArray()) {
                out.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
                chunk.position(chunk.limit());
            } else {
                byte[] copy = new byte[chunk.remaining()];
                chunk.get(copy);
                out.write(copy);
            }
        };
    }

    /**
     * Sends a whole file whose content is right (the EPR cache checked it when it was written, or
     * the caller checks it), as {@link #send} sends any body: a chunk at a time into a pooled
     * buffer, as the client takes them. A missing file fails the request with an error answer.
     */
    public static void sendFile(Context ctx, Path file) throws IOException {
        send(ctx, () -> FileChunks.trusted(FileChannel.open(file, StandardOpenOption.READ)));
    }

    static void closeQuietly(java.io.@Nullable Closeable content) {
        if (content == null) {
            return;
        }
        try {
            content.close();
        } catch (IOException e) {
            LoggerFactory.getLogger(ResponseBodies.class).debug("cannot close the content of a response", e);
        }
    }

    /**
     * Breaks the connection of a response that cannot be finished (its blob failed its digest, or
     * storage failed mid-way): with the status and length already sent, an error body would only be
     * appended to the download, while a cut connection is something every client reports.
     */
    public static void abort(Context ctx, Throwable cause) {
        ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
        if (request != null) {
            request.getServletChannel().abort(cause);
        }
    }
}
