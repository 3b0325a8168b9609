package dev.wharf.testing;

import dev.wharf.oci.ChunkSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;

/** A whole {@link ChunkSource} as bytes, for tests that compare what a store handed out. */
public final class ChunkBytes {
    private ChunkBytes() {
    }

    /** Reads every chunk, then closes the source. */
    public static byte[] readAll(ChunkSource chunks) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunks.drainTo(Channels.newChannel(out)::write);
        return out.toByteArray();
    }
}
