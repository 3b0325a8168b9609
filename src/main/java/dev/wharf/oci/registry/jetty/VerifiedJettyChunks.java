package dev.wharf.oci.registry.jetty;

import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.Digest;
import dev.wharf.oci.DigestVerifyingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.OptionalLong;
import org.eclipse.jetty.io.Content;
import org.jspecify.annotations.Nullable;

/**
 * A blob from the registry handed out in the very buffers Jetty's client read it into, hashed on
 * the way. Nothing is copied: the server writes the pooled native buffer the client filled. Copying
 * each chunk into a heap array of ours, which the JDK then copied again into a native buffer for the
 * socket, and hashing on another thread to make up for it, cost a streamed download about 1.7 times
 * the CPU and a quarter of its rate (bench/RESULTS.md, session 12). The promise of {@link ChunkSource}
 * holds: a chunk goes out only once the one after it was read and hashed, so the last one goes out
 * only once the whole content matched its digest, and a receiver that knows the length never gets a
 * complete corrupt blob.
 *
 * <p>At most two chunks are held (one going out, one read ahead); each is given back to Jetty's pool
 * at the next call or at {@link #close}.
 */
public final class VerifiedJettyChunks implements ChunkSource {
    private final ContentSourceStream body;
    private final Digest expected;
    private final MessageDigest hash;
    private final OptionalLong length;
    /** Read and hashed, not handed out yet. */
    private Content.@Nullable Chunk ahead;
    /** Handed out by the last call. */
    private Content.@Nullable Chunk out;
    private boolean started;
    private boolean ended;

    private VerifiedJettyChunks(ContentSourceStream body, Digest expected, OptionalLong length) {
        this.body = body;
        this.length = length;
        this.expected = expected;
        this.hash = expected.newMessageDigest();
    }

    /**
     * The blob body as checked chunks without a copy, when it is an answer of Jetty's client; empty otherwise.
     * {@code length}: the answer's Content-Length, when it had one.
     */
    public static Optional<ChunkSource> of(InputStream body, Digest expected, OptionalLong length) {
        return body instanceof ContentSourceStream jetty ? Optional.of(new VerifiedJettyChunks(jetty, expected, length)) : Optional.empty();
    }

    @Override
    public OptionalLong announcedLength() {
        return length;
    }

    @Override
    public @Nullable ByteBuffer next() throws IOException {
        release(out);
        out = null;
        if (ended) {
            return null;
        }
        if (!started) {
            started = true;
            ahead = takeAndHash();
        }
        Content.Chunk current = ahead;
        ahead = current == null ? null : takeAndHash();
        if (ahead == null) {
            ended = true;
            try {
                DigestVerifyingInputStream.verify(expected, hash);
            } catch (IOException e) {
                release(current);
                throw e;
            }
        }
        out = current;
        return current == null ? null : current.getByteBuffer();
    }

    /** The next chunk of the body, hashed; null at the end. */
    private Content.@Nullable Chunk takeAndHash() throws IOException {
        Content.Chunk chunk = body.take();
        if (chunk != null) {
            // A view: the hash moves its position, not the chunk's.
            hash.update(chunk.getByteBuffer().duplicate());
        }
        return chunk;
    }

    private static void release(Content.@Nullable Chunk chunk) {
        if (chunk != null) {
            chunk.release();
        }
    }

    @Override
    public void close() {
        release(out);
        release(ahead);
        out = null;
        ahead = null;
        body.close();
    }
}
