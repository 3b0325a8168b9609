package dev.wharf.oci;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** A blob's chunks, failing when their length is not the size its descriptor gives ({@link BlobLength}). */
public final class SizeCheckedChunks implements ChunkSource {
    private final ChunkSource chunks;
    private final BlobLength length;

    private SizeCheckedChunks(ChunkSource chunks, BlobLength length) {
        this.chunks = chunks;
        this.length = length;
    }

    /**
     * {@code chunks} of {@code blob}, checked against its size: refused at once, closed, with a
     * {@link StorageException} when their storage announced another length, else as they are read.
     * {@code where} names the storage and repository ("registry r.example, repository a/b").
     */
    public static ChunkSource of(ChunkSource chunks, Descriptor blob, String where) {
        BlobLength length = new BlobLength(blob, where);
        length.refuseAnnounced(chunks);
        return new SizeCheckedChunks(chunks, length);
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
