package dev.wharf.http;

import dev.wharf.oci.BlobSink;
import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.MappedFileChunks;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.ee10.servlet.HttpOutput;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.util.Callback;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Large response bodies written straight into Jetty's output as {@link ByteBuffer}s, instead of
 * through Javalin's {@code ctx.result(InputStream)}: the handler stays in charge until the last
 * byte, so a body that fails half-way ends in a cut connection rather than an error page appended
 * to the download, and a file can be handed over memory-mapped, its bytes going from the page
 * cache to the socket without a copy through the heap.
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
     * clients once took every thread of the pool). When opening the body or reading its first chunk
     * fails, the response is reset and the failure thrown, for the caller to answer with an error of
     * its protocol; a failure after that cuts the connection ({@link #abort}).
     */
    public static void send(Context ctx, Body body) throws IOException {
        ChunkSource chunks = null;
        ByteBuffer first;
        try {
            chunks = body.open();
            first = chunks.next();
        } catch (IOException | RuntimeException e) {
            closeQuietly(chunks);
            ctx.res().reset();
            throw e;
        }
        ServletOutputStream out = ctx.res().getOutputStream();
        if (out instanceof HttpOutput jetty) {
            ChunkPump pump = new ChunkPump(ctx, jetty, chunks, first);
            ctx.future(pump::start);
            return;
        }
        try (ChunkSource rest = chunks) {
            BlobSink sink = blockingSink(out);
            for (ByteBuffer chunk = first; chunk != null; chunk = rest.next()) {
                sink.write(chunk);
            }
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger(ResponseBodies.class).warn("cannot finish {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            abort(ctx, e);
        }
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
     * Sends a whole file without holding a thread while the client reads it: the file is mapped
     * (its bytes go from the page cache to the socket without a copy through the heap) and handed
     * to Jetty as one asynchronous write, and the request thread returns at once. A client that
     * stops reading then holds its connection until the idle timeout ({@link ServerLimits}), not a
     * request thread; 400 of them once took every thread of the pool. For files whose content was
     * checked when they were written (the EPR cache) or that are checked by the caller. The file is
     * opened before this returns, so a missing file still fails the request with an error answer.
     */
    public static void sendFile(Context ctx, Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        ServletOutputStream out = ctx.res().getOutputStream();
        if (!(out instanceof HttpOutput jetty)) {
            try (ChunkSource chunks = MappedFileChunks.trusted(channel)) {
                chunks.drainTo(blockingSink(out));
            }
            return;
        }
        long size = channel.size();
        ByteBuffer mapped = null;
        if (size <= MAX_MAPPED) {
            try (channel) {
                // A mapping outlives its channel: nothing stays open while the client reads.
                mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            }
        }
        sendAsync(ctx, jetty, mapped, mapped == null ? channel : null);
    }

    /**
     * Hands {@code whole} (or else {@code channel}, read through Jetty's pooled buffers) to Jetty as
     * one asynchronous write and puts the request in async mode, so that the thread returns at once;
     * the request ends when the write does. A client that went away or stalled past the idle timeout
     * has its connection closed by Jetty; that ends the request too.
     */
    private static void sendAsync(Context ctx, HttpOutput jetty, @Nullable ByteBuffer whole, @Nullable FileChannel channel) {
        ctx.future(() -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            Callback finished = Callback.from(() -> {
                closeQuietly(channel);
                done.complete(null);
            }, failure -> {
                closeQuietly(channel);
                LoggerFactory.getLogger(ResponseBodies.class).debug("cannot finish {} {}: {}", ctx.method(), ctx.path(),
                        failure.toString());
                done.complete(null);
            });
            if (whole != null) {
                jetty.sendContent(whole, finished);
            } else {
                jetty.sendContent(java.util.Objects.requireNonNull(channel, "a file that is not mapped is sent from its channel"), finished);
            }
            return done;
        });
    }

    /** Larger files go out through pooled buffers instead of one mapping (a buffer holds at most 2 GB). */
    static final long MAX_MAPPED = 1L << 30;

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
