package dev.wharf.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
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
