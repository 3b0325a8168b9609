package dev.wharf.oci;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** A blob's chunks, failing when their length is not the size its descriptor gives ({@link BlobLength}). */
final class SizeCheckedChunks implements ChunkSource {
    private final ChunkSource chunks;
    private final BlobLength length;

    SizeCheckedChunks(ChunkSource chunks, BlobLength length) {
        this.chunks = chunks;
        this.length = length;
    }

    @Override
    public @Nullable ByteBuffer next() throws IOException {
        return counted(chunks.next());
    }

    @Override
    public @Nullable ByteBuffer next(Supplier<ByteBuffer> buffers) throws IOException {
        return counted(chunks.next(buffers));
    }

    private @Nullable ByteBuffer counted(@Nullable ByteBuffer chunk) throws IOException {
        if (chunk == null) {
            length.end();
        } else {
            length.add(chunk.remaining());
        }
        return chunk;
    }

    @Override
    public OptionalLong announcedLength() {
        return chunks.announcedLength();
    }

    @Override
    public boolean hasParts() {
        return chunks.hasParts();
    }

    /** A part is a range the client asked for: its length is the range's, and a file cut short fails on its own. */
    @Override
    public ChunkSource part(long first, long length) {
        return chunks.part(first, length);
    }

    @Override
    public void close() throws IOException {
        chunks.close();
    }
}
