package dev.wharf.oci.registry;

import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.Digest;
import dev.wharf.oci.DigestVerifyingInputStream;
import dev.wharf.oci.InputStreamChunks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * A blob streamed from the registry in chunks whose hash runs on another thread while the reader
 * writes them out. On a proxied download SHA-256 cost as much as everything else the writing thread
 * did, one after the other (bench/RESULTS.md, figure 2); here the two overlap. The promise of
 * {@link ChunkSource} is kept: the last chunk is handed out only once every byte has been hashed and
 * the content matched its digest, so a receiver that knows the length never gets a complete corrupt
 * blob.
 *
 * <p>Three buffers turn: one handed out, one being filled, one whose hash may still be running. A
 * buffer is filled again only after its hash finished; the hashes of one blob run in order.
 */
final class ConcurrentlyVerifiedChunks implements ChunkSource {
    private static final int BUFFERS = 3;

    private final InputStream in;
    private final Digest expected;
    private final MessageDigest hash;
    private final Executor hasher;
    private final ByteBuffer[] buffers = new ByteBuffer[BUFFERS];
    private final CompletableFuture<?>[] hashed = new CompletableFuture<?>[BUFFERS];
    private CompletableFuture<Void> hashing = CompletableFuture.completedFuture(null);
    /** The filled buffer to hand out next; -1 before the first read. */
    private int ready = -1;
    private boolean ended;

    ConcurrentlyVerifiedChunks(InputStream in, Digest expected, Executor hasher, int chunkSize) {
        this.in = in;
        this.expected = expected;
        this.hash = expected.newMessageDigest();
        this.hasher = hasher;
        for (int i = 0; i < BUFFERS; i++) {
            buffers[i] = ByteBuffer.allocate(chunkSize);
            hashed[i] = hashing;
        }
    }

    @Override
    public @Nullable ByteBuffer next() throws IOException {
        if (ended) {
            return null;
        }
        if (ready < 0) {
            if (!fill(0)) {
                ended = true;
                verify();
                return null;
            }
            ready = 0;
        }
        int out = ready;
        ByteBuffer chunk = buffers[out];
        ByteBuffer view = chunk.duplicate();
        hashing = hashing.thenRunAsync(() -> hash.update(view), hasher);
        hashed[out] = hashing;
        int following = (out + 1) % BUFFERS;
        if (!fill(following)) {
            ended = true;
            verify();
            return chunk.hasRemaining() ? chunk : null;
        }
        ready = following;
        return chunk;
    }

    /** Reads into buffer {@code i} (once its last hash is done) until it is full or the stream ends; false when nothing was read. */
    private boolean fill(int i) throws IOException {
        await(hashed[i]);
        return InputStreamChunks.fill(in, buffers[i]);
    }

    private void verify() throws IOException {
        await(hashing);
        DigestVerifyingInputStream.verify(expected, hash);
    }

    private static void await(CompletableFuture<?> step) throws IOException {
        try {
            step.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while hashing a blob", e);
        } catch (ExecutionException | CompletionException e) {
            throw new IOException("cannot hash a blob: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
