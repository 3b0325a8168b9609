package dev.wharf.oci;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A file handed out chunk by chunk, each read into one buffer that is refilled for the next.
 *
 * <p>Read, not memory-mapped: a server that lends a pooled direct buffer ({@link #next(Supplier)})
 * gets one copy from the page cache into it and none on the way to the socket, and 64 KB reads
 * beat writing from a mapping, whose every page is a fault first. Measured on the bench's 200 MB
 * provider from the download cache, alternated on one machine: 2 074 against 1 055 MB/s, and 0.095
 * against 0.185 s of CPU per download (bench/RESULTS.md, session 13). A file cut short while it is
 * read is also an {@link IOException} here, where a mapping would have crashed the reading thread.
 *
 * <p>With a digest, each chunk is hashed before it is handed out and the last one only once the
 * whole file matched; without one, the file is known to be right (a download cache keeps only
 * blobs that matched).
 */
public final class FileChunks implements ChunkSource {
    /**
     * The buffer size to lend, and of the buffer taken otherwise. 64 KB: 128 and 256 KB were slower
     * (1 241 and 1 680 MB/s), and Jetty's pools keep buffers only up to 64 KB.
     */
    public static final int CHUNK = 64 * 1024;

    private final FileChannel channel;
    private final long size;
    private final @Nullable Digest digest;
    private final @Nullable MessageDigest hash;
    /** The part handed out: from {@code sent} (its first byte, at the start) to {@code end}, exclusive. */
    private final long end;
    private final long first;
    private @Nullable ByteBuffer buffer;
    private long sent;

    private FileChunks(FileChannel channel, long size, @Nullable Digest digest) {
        this(channel, size, digest, 0, size);
    }

    private FileChunks(FileChannel channel, long size, @Nullable Digest digest, long first, long end) {
        this.channel = channel;
        this.size = size;
        this.digest = digest;
        this.hash = digest == null ? null : digest.newMessageDigest();
        this.sent = first;
        this.first = first;
        this.end = end;
    }

    /**
     * Bytes {@code first} to {@code first + length - 1} of the file, in place of the whole: for a
     * ranged answer. A checked file is still hashed whole, the bytes before the part as it starts and
     * those after it before its last chunk is handed out, so a part of a damaged file never comes
     * out whole either. Call before the first chunk; the part takes over the file, to be closed
     * instead of this.
     */
    @Override
    public ChunkSource part(long first, long length) {
        if (first < 0 || length < 0 || first + length > size) {
            throw new IllegalArgumentException("a file of " + size + " bytes has no " + length + " bytes from byte " + first);
        }
        if (sent != 0 || end != size || buffer != null) {
            throw new IllegalStateException("a part is asked of a whole file before its first chunk");
        }
        return new FileChunks(channel, size, digest, first, first + length);
    }

    @Override
    public boolean hasParts() {
        return true;
    }

    /** The file's size; a part's own length, once one was asked. */
    @Override
    public OptionalLong announcedLength() {
        return OptionalLong.of(end - first);
    }

    /** A file whose content is already known to be right: no hashing. */
    public static FileChunks trusted(FileChannel channel) throws IOException {
        return new FileChunks(channel, sizeOf(channel), null);
    }

    /** A file checked against {@code digest} while it is read. An empty file is checked at once. */
    public static FileChunks checked(FileChannel channel, Digest digest) throws IOException {
        FileChunks chunks = new FileChunks(channel, sizeOf(channel), digest);
        if (chunks.size == 0) {
            try {
                DigestVerifyingInputStream.verify(digest, java.util.Objects.requireNonNull(chunks.hash));
            } catch (IOException e) {
                try (channel) {
                    throw e;
                }
            }
        }
        return chunks;
    }

    /** The channel's size, closing the channel when even that fails: the caller then has nothing to close. */
    private static long sizeOf(FileChannel channel) throws IOException {
        try {
            return channel.size();
        } catch (IOException e) {
            try (channel) {
                throw e;
            }
        }
    }

    /** Reads into a heap buffer of its own: for callers that are not writing to a socket. */
    @Override
    public @Nullable ByteBuffer next() throws IOException {
        return next(() -> ByteBuffer.allocate(CHUNK));
    }

    @Override
    public @Nullable ByteBuffer next(Supplier<ByteBuffer> buffers) throws IOException {
        if (sent >= end) {
            return null;
        }
        boolean firstChunk = buffer == null;
        ByteBuffer piece = buffer;
        if (piece == null) {
            piece = buffers.get();
            if (piece.capacity() == 0) {
                // Chunks of no bytes would never reach the end of the file.
                throw new IllegalArgumentException("a buffer lent to read a file must hold at least one byte");
            }
            buffer = piece;
        }
        if (firstChunk && hash != null && sent > 0) {
            hashBytes(piece, 0, sent, hash);
        }
        read(piece, sent, end);
        sent += piece.remaining();
        if (hash != null && digest != null) {
            hash.update(piece.duplicate());
            if (sent == end) {
                if (end < size) {
                    // The rest is hashed in a buffer of its own: the piece is about to be handed out.
                    hashBytes(ByteBuffer.allocate(CHUNK), end, size, hash);
                }
                DigestVerifyingInputStream.verify(digest, hash);
            }
        }
        return piece;
    }

    /** Fills {@code piece} from {@code position}, up to its capacity or {@code limit}, ready to read. */
    private void read(ByteBuffer piece, long position, long limit) throws IOException {
        piece.clear();
        piece.limit((int) Math.min(piece.capacity(), limit - position));
        while (piece.hasRemaining()) {
            if (channel.read(piece, position + piece.position()) < 0) {
                throw new EOFException("the file ended after " + (position + piece.position()) + " of its " + size + " bytes");
            }
        }
        piece.flip();
    }

    private void hashBytes(ByteBuffer scratch, long from, long to, MessageDigest into) throws IOException {
        for (long at = from; at < to; at += scratch.limit()) {
            read(scratch, at, to);
            into.update(scratch);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
