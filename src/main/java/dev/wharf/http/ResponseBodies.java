package dev.wharf.http;

import dev.wharf.oci.BlobSink;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.eclipse.jetty.ee10.servlet.HttpOutput;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.LoggerFactory;

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

    /** Something that writes a body into a sink, from storage or elsewhere. */
    @FunctionalInterface
    public interface Body {
        void writeTo(BlobSink sink) throws IOException;
    }

    /**
     * Writes {@code body} as the response of {@code ctx}, whose status and headers are set. When it
     * fails after the first bytes went out, the connection is cut ({@link #abort}) and this returns
     * normally; when it fails before, the response is reset and the failure thrown, for the caller to
     * answer with an error of its protocol.
     */
    public static void send(Context ctx, Body body) throws IOException {
        try {
            body.writeTo(sink(ctx));
        } catch (IOException | RuntimeException e) {
            if (ctx.res().isCommitted()) {
                LoggerFactory.getLogger(ResponseBodies.class).warn("cannot finish {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
                abort(ctx, e);
                return;
            }
            ctx.res().reset();
            throw e;
        }
    }

    /** A sink into the body of {@code ctx}'s response; headers must be set before the first write. */
    public static BlobSink sink(Context ctx) throws IOException {
        ServletOutputStream out = ctx.res().getOutputStream();
        if (out instanceof HttpOutput jetty) {
            return jetty::write;
        }
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
     * Writes a whole file from memory-mapped windows, so its bytes go from the page cache to the
     * socket without passing through the heap. For files whose content was checked when they were
     * written (the EPR cache) or that are checked by the caller.
     */
    public static void sendFile(Context ctx, Path file) throws IOException {
        BlobSink sink = sink(ctx);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            sink.writeMapped(channel);
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
