package dev.wharf.oci;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;

/**
 * A file handed out as memory-mapped pieces, so its bytes go from the page cache to the socket
 * without a copy through the heap. With a digest, each piece is hashed before it is handed out and
 * the last one only once the whole file matched; without one, the file is known to be right (a
 * download cache keeps only blobs that matched) and goes out in pieces as large as a mapping window.
 */
public final class MappedFileChunks implements ChunkSource {
    /** How much of a file is mapped at once: few mappings, yet well within a 32-bit buffer. */
    public static final long MAP_WINDOW = 64L << 20;

    private final FileChannel channel;
    private final long size;
    private final long pieceSize;
    private final @Nullable Digest digest;
    private final @Nullable MessageDigest hash;
    private @Nullable ByteBuffer window;
    private long windowStart;
    private long sent;

    private MappedFileChunks(FileChannel channel, long pieceSize, @Nullable Digest digest) throws IOException {
        this.channel = channel;
        this.size = channel.size();
        this.pieceSize = pieceSize;
        this.digest = digest;
        this.hash = digest == null ? null : digest.newMessageDigest();
    }

    /** A file whose content is already known to be right: whole mapping windows, no hashing. */
    public static MappedFileChunks trusted(FileChannel channel) throws IOException {
        return new MappedFileChunks(channel, MAP_WINDOW, null);
    }

    /** A file checked against {@code digest} while it is read, in pieces of {@code pieceSize} bytes. */
    public static MappedFileChunks checked(FileChannel channel, Digest digest, int pieceSize) throws IOException {
        MappedFileChunks chunks = new MappedFileChunks(channel, pieceSize, digest);
        if (chunks.size == 0) {
            DigestVerifyingInputStream.verify(digest, java.util.Objects.requireNonNull(chunks.hash));
        }
        return chunks;
    }

    @Override
    public @Nullable ByteBuffer next() throws IOException {
        if (sent >= size) {
            return null;
        }
        ByteBuffer current = window;
        if (current == null || sent - windowStart >= current.limit()) {
            windowStart = sent;
            current = channel.map(FileChannel.MapMode.READ_ONLY, sent, Math.min(MAP_WINDOW, size - sent));
            window = current;
        }
        int at = (int) (sent - windowStart);
        int length = (int) Math.min(pieceSize, current.limit() - at);
        ByteBuffer piece = current.duplicate().position(at).limit(at + length).slice();
        sent += length;
        if (hash != null && digest != null) {
            hash.update(piece.duplicate());
            if (sent == size) {
                DigestVerifyingInputStream.verify(digest, hash);
            }
        }
        return piece;
    }

    @Override
    public void close() throws IOException {
        // A mapping outlives its channel: pieces handed out stay readable.
        channel.close();
    }
}
