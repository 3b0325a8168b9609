package dev.wharf.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * A stream read in chunks, each handed out only once the read after it succeeded. On a stream that
 * checks a digest at its end ({@link DigestVerifyingInputStream}) the read that ends the stream is
 * the one that checks, so the last chunk waits for the verdict: a receiver that knows the length
 * never gets a complete corrupt blob.
 */
public final class InputStreamChunks implements ChunkSource {
    private final InputStream in;
    private final OptionalLong length;
    private ByteBuffer pending;
    private ByteBuffer next;
    private boolean started;
    private boolean ended;

    public InputStreamChunks(InputStream in, int chunkSize) {
        this(in, chunkSize, OptionalLong.empty());
    }

    /** With the stream's length as its source announced it ({@link ChunkSource#announcedLength}). */
    public InputStreamChunks(InputStream in, int chunkSize, OptionalLong length) {
        this.in = in;
        this.length = length;
        this.pending = ByteBuffer.allocate(chunkSize);
        this.next = ByteBuffer.allocate(chunkSize);
    }

    @Override
    public @Nullable ByteBuffer next() throws IOException {
        if (ended) {
            return null;
        }
        if (!started) {
            started = true;
            if (!fill(in, pending)) {
                ended = true;
                return null;
            }
        }
        // The chunk handed out last time is ours again: it becomes the buffer read into.
        ByteBuffer out = pending;
        if (!fill(in, next)) {
            ended = true;
            return out.hasRemaining() ? out : null;
        }
        pending = next;
        next = out;
        return out;
    }

    /** Reads {@code in} into {@code buffer} from its start until it is full or the stream ends; false when nothing was read. */
    public static boolean fill(InputStream in, ByteBuffer buffer) throws IOException {
        buffer.clear();
        int at = 0;
        while (at < buffer.capacity()) {
            int n = in.read(buffer.array(), at, buffer.capacity() - at);
            if (n < 0) {
                break;
            }
            at += n;
        }
        buffer.limit(at);
        return at > 0;
    }

    @Override
    public OptionalLong announcedLength() {
        return length;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
