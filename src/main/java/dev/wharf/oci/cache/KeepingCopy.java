package dev.wharf.oci.cache;

import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store's chunks on their way to a client, each also written to a {@code .part} file of the
 * {@link DiskBlobCache} before it is handed out; the file becomes the kept blob when the store hands
 * out its end (its digest matched), and goes when the chunks are closed before that or grow past the
 * cache's bound.
 *
 * <p>The cache serves the store, not the other way round: a write that fails (a full disk, a folder
 * emptied by hand) ends the keeping, never the copy. The chunks come from the store and are checked
 * there, so the client still gets every byte; only the next copy reads the store again.
 */
final class KeepingCopy implements ChunkSource {
    /** How long a copy may hand out nothing before another copy may keep the same blob. */
    static final Duration STALLED_AFTER = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(KeepingCopy.class);

    private final DiskBlobCache cache;
    private final ChunkSource chunks;
    private final Path part;
    private final Digest digest;
    /** Null once the copy is no longer kept: finished, given up or too large. */
    private @Nullable FileChannel out;
    private long written;
    /** When the last chunk went through ({@link DiskBlobCache#now}); read by other copies' threads. */
    private volatile long movedAt;

    KeepingCopy(DiskBlobCache cache, ChunkSource chunks, Path part, Digest digest, FileChannel out, long now) {
        this.cache = cache;
        this.chunks = chunks;
        this.part = part;
        this.digest = digest;
        this.out = out;
        this.movedAt = now;
    }

    /** Whether no chunk went through for {@link #STALLED_AFTER} before {@code now}: its client stopped reading. */
    boolean stalledAt(long now) {
        return now - movedAt > STALLED_AFTER.toNanos();
    }

    @Override
    public @Nullable ByteBuffer next() throws IOException {
        return kept(chunks.next());
    }

    @Override
    public @Nullable ByteBuffer next(Supplier<ByteBuffer> buffers) throws IOException {
        return kept(chunks.next(buffers));
    }

    /** Writes {@code chunk} to the {@code .part} file, and keeps that file at the end. */
    private @Nullable ByteBuffer kept(@Nullable ByteBuffer chunk) {
        FileChannel channel = out;
        if (channel == null) {
            return chunk;
        }
        movedAt = cache.now();
        try {
            if (chunk == null) {
                out = null;
                try (channel) {
                    channel.force(false);
                }
                cache.keep(part, digest, written);
                cache.released(digest, this);
                return null;
            }
            written += chunk.remaining();
            if (written > cache.maxBytes()) {
                stopKeeping(null);
                return chunk;
            }
            ByteBuffer copy = chunk.duplicate();
            while (copy.hasRemaining()) {
                channel.write(copy);
            }
        } catch (IOException e) {
            stopKeeping(e);
        }
        return chunk;
    }

    /** Removes the {@code .part} file; {@code failure}, when there is one, is logged once, for this copy. */
    private void stopKeeping(@Nullable IOException failure) {
        FileChannel channel = out;
        out = null;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("cannot close {}: {}", part, e.getMessage());
            }
        }
        DiskBlobCache.deleteQuietly(part);
        cache.released(digest, this);
        if (failure != null) {
            cache.cannotKeep(digest, failure);
        }
    }

    @Override
    public OptionalLong announcedLength() {
        return chunks.announcedLength();
    }

    @Override
    public void close() throws IOException {
        try (chunks) {
            if (out != null) {
                stopKeeping(null);
            }
        }
    }
}
