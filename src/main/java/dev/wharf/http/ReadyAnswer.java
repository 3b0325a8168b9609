package dev.wharf.http;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * A complete 200 answer held in memory, as the router produced it: the route it came from (for
 * metrics), its content type, its other headers and its body, also gzipped when it is big enough
 * for that to pay. Compressing once here replaces compressing on every request.
 */
public record ReadyAnswer(String route, String contentType, List<Header> headers, ByteBuffer body, @Nullable ByteBuffer gzipped) {
    /** Smaller bodies go out as they are, as the router does it (Javalin's threshold). */
    static final int GZIP_THRESHOLD = 1500;

    public record Header(String name, String value) {
    }

    /** @param compress whether clients that accept gzip get it, as the router would give it */
    public static ReadyAnswer of(String route, String contentType, List<Header> headers, byte[] body, boolean compress) {
        return new ReadyAnswer(route, contentType, List.copyOf(headers), direct(body),
                compress && body.length >= GZIP_THRESHOLD ? direct(gzip(body)) : null);
    }

    /**
     * Bodies live outside the heap: a heap buffer is copied into a temporary direct one on every
     * socket write, which for a 48 KB search answer was a visible share of the work.
     */
    private static ByteBuffer direct(byte[] bytes) {
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
    }

    /**
     * Answers the router's request with this answer as {@link ReadyAnswerHandler} answers its
     * repeats: the same headers, {@code Vary} included, and gzip by the same rule. A first answer
     * written otherwise differed from its repeats (the UI's pages went out plain and without
     * {@code Vary}, EPR's search gzipped by Javalin's own rule without it), so a cache in front
     * could keep either variant of one URL for clients the other was meant for.
     */
    public void sendTo(Context ctx) {
        write(ctx, contentType, headers, gzipped != null, gzip -> {
            ByteBuffer body = bodyToSend(gzip);
            byte[] bytes = new byte[body.remaining()];
            body.get(bytes);
            return bytes;
        });
    }

    /**
     * Answers as {@link #of} and then {@link #sendTo} would, for an answer that will not be kept: the
     * body is gzipped only for a client that accepts it, and no buffer outside the heap is made.
     */
    public static void sendOnce(Context ctx, String contentType, List<Header> headers, byte[] body, boolean compress) {
        write(ctx, contentType, headers, compress && body.length >= GZIP_THRESHOLD, gzip -> gzip ? gzip(body) : body);
    }

    private static void write(Context ctx, String contentType, List<Header> headers, boolean hasGzip, Function<Boolean, byte[]> body) {
        boolean gzip = hasGzip && ReadyAnswerHandler.acceptsGzip(ctx.header("Accept-Encoding"));
        // Already compressed, or meant to go out plain: Javalin must not decide again.
        ctx.disableCompression();
        HttpServletResponse res = ctx.res();
        // Replaced, not added to: a before-handler may have set the same headers (the pages' security headers).
        Set<String> names = new LinkedHashSet<>();
        headers.forEach(h -> names.add(h.name()));
        names.forEach(name -> res.setHeader(name, null));
        headers.forEach(h -> res.addHeader(h.name(), h.value()));
        if (hasGzip) {
            res.setHeader("Vary", "Accept-Encoding");
        }
        if (gzip) {
            res.setHeader("Content-Encoding", "gzip");
        }
        ctx.status(200).contentType(contentType).result(body.apply(gzip));
    }

    /** The body's bytes for one response: its own position, the shared content. */
    ByteBuffer bodyToSend(boolean gzip) {
        return (gzip && gzipped != null ? gzipped : body).duplicate();
    }

    int size() {
        return body.capacity() + (gzipped == null ? 0 : gzipped.capacity());
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
