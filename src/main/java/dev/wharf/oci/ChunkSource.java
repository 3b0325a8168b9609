package dev.wharf.oci;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
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

    /** Reads the whole content into {@code sink}, then closes this source. */
    default void drainTo(BlobSink sink) throws IOException {
        try (this) {
            for (ByteBuffer chunk = next(); chunk != null; chunk = next()) {
                sink.write(chunk);
            }
        }
    }
}
