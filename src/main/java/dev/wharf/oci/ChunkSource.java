package dev.wharf.oci;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Content handed out chunk by chunk at the pace of whoever reads it, rather than pushed into a sink:
 * a server can then write each chunk asynchronously and ask for the next one only when the client
 * took the last, so a client that stops reading leaves the source paused instead of a thread parked
 * in a write. Sources over checked content ({@link ArtifactStore#readBlob}) hand out their last chunk
 * only once the whole content matched its digest.
 */
public interface ChunkSource extends Closeable {
    /**
     * The next chunk, or null once the content is complete. The chunk stays the source's: it is
     * valid until the next call or {@link #close}, and must not be changed.
     */
    @Nullable ByteBuffer next() throws IOException;

    /**
     * {@link #next()}, for a caller that can lend a buffer. A source that reads into a buffer (a file)
     * takes one from {@code buffers}, once, and hands out each chunk in it; the caller keeps that
     * buffer for the source until {@link #close} returned. A server lends a pooled direct buffer, so
     * the bytes are copied once, from the file into it, and not again on the way to the socket.
     * Sources that hand out buffers of their own (a registry's stream) take none.
     */
    default @Nullable ByteBuffer next(Supplier<ByteBuffer> buffers) throws IOException {
        return next();
    }

    /**
     * The whole content's length as its source knew it before the first chunk (a registry's
     * Content-Length, a file's size), or empty when only its end tells (a chunked answer). A reader
     * that expects a length (a manifest's size for a blob) can then refuse a content that differs
     * before a byte of it went out, instead of cutting a download already under way.
     */
    default OptionalLong announcedLength() {
        return OptionalLong.empty();
    }

    /**
     * Whether {@link #part} can start anywhere: a file can, a stream from a registry cannot without
     * reading, and checking, everything before.
     */
    default boolean hasParts() {
        return false;
    }

    /**
     * Bytes {@code first} to {@code first + length - 1} of this content, for a ranged answer, from a
     * source that {@link #hasParts}, asked before its first chunk. The part takes this source over:
     * the caller closes the part, not this.
     */
    default ChunkSource part(long first, long length) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " hands out its content only whole");
    }

    /** Reads the whole content into {@code sink}, then closes this source. */
    default void drainTo(BlobSink sink) throws IOException {
        try (this) {
            for (ByteBuffer chunk = next(); chunk != null; chunk = next()) {
                sink.write(chunk);
            }
        }
    }
}
