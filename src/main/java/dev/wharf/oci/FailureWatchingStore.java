package dev.wharf.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Remembers, per kind of operation, whether the store's last answer was a failure, so that
 * {@code /health} can report faults its own probe cannot see: a blob that arrives truncated or
 * corrupt, a malformed manifest, a failed upload. A kind counts as failing from its failure until
 * the next success of the same kind, so service that resumes by itself clears the report by
 * itself. Failures of the caller's side (a client that hung up while a blob was being sent) are not
 * the store's and are not recorded.
 */
public final class FailureWatchingStore extends ForwardingArtifactStore {
    /** A failure still standing: no later success of the same kind. */
    public record Standing(String operation, Instant at, String message) {
    }

    private record State(@Nullable Instant failedAt, @Nullable String message, @Nullable Instant succeededAt) {
        boolean standing() {
            return failedAt != null && (succeededAt == null || failedAt.isAfter(succeededAt));
        }
    }

    private final Clock clock;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    public FailureWatchingStore(ArtifactStore delegate, Clock clock) {
        super(delegate);
        this.clock = clock;
    }

    /** The most recent failure that no success of its kind has followed yet. */
    public Optional<Standing> standingFailure() {
        return states.entrySet().stream().filter(e -> e.getValue().standing())
                .map(e -> new Standing(e.getKey(), java.util.Objects.requireNonNull(e.getValue().failedAt()), String.valueOf(e.getValue().message())))
                .max(Comparator.comparing(Standing::at));
    }

    private void failed(String operation, Throwable e) {
        Instant now = clock.instant();
        states.compute(operation, (k, s) -> new State(now, String.valueOf(e.getMessage()), s == null ? null : s.succeededAt()));
    }

    private void succeeded(String operation) {
        Instant now = clock.instant();
        states.compute(operation, (k, s) -> new State(s == null ? null : s.failedAt(), s == null ? null : s.message(), now));
    }

    /** A failure of the store or its disk, not an answer about the caller's request (a tag that exists, say). */
    private static boolean isStoreFault(StorageException e) {
        return e.isOutage() || e.kind() == StorageException.Kind.CORRUPT || e.kind() == StorageException.Kind.WRITE_FAILED;
    }

    private <T> T watch(String operation, Supplier<T> call) {
        try {
            T result = call.get();
            succeeded(operation);
            return result;
        } catch (StorageException e) {
            if (isStoreFault(e)) {
                failed(operation, e);
            }
            throw e;
        }
    }

    @Override
    public List<String> listTags(String repository) {
        return watch("list tags", () -> delegate.listTags(repository));
    }

    @Override
    public Optional<Manifest> resolve(String repository, String reference) {
        return watch("read manifests", () -> delegate.resolve(repository, reference));
    }

    @Override
    public List<Optional<Manifest>> resolveAll(String repository, List<String> references) {
        return watch("read manifests", () -> delegate.resolveAll(repository, references));
    }

    @Override
    public boolean exists(String repository, String tag) {
        return watch("read manifests", () -> delegate.exists(repository, tag));
    }

    @Override
    public InputStream openBlob(String repository, Digest digest) {
        InputStream in = watch("read blobs", () -> delegate.openBlob(repository, digest));
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                try {
                    int b = super.read();
                    if (b < 0) {
                        succeeded("read blobs");
                    }
                    return b;
                } catch (IOException e) {
                    failed("read blobs", e);
                    throw e;
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    int n = super.read(b, off, len);
                    if (n < 0) {
                        succeeded("read blobs");
                    }
                    return n;
                } catch (IOException e) {
                    failed("read blobs", e);
                    throw e;
                }
            }
        };
    }

    /**
     * The blob's chunks, watched: a read that fails (the registry gone, a digest that does not match)
     * counts against "read blobs", a blob read to its end for it. A client that stops reading is
     * not the store's failure, and never shows here: it only stops asking for chunks.
     */
    @Override
    public ChunkSource readBlob(String repository, Digest digest) {
        return new WatchedChunks(watch("read blobs", () -> delegate.readBlob(repository, digest)));
    }

    /** As {@link #readBlob(String, Digest)}: a blob whose length is not its descriptor's size counts against "read blobs". */
    @Override
    public ChunkSource readBlob(String repository, Descriptor blob) {
        return new WatchedChunks(watch("read blobs", () -> delegate.readBlob(repository, blob)));
    }

    private final class WatchedChunks implements ChunkSource {
        private final ChunkSource chunks;

        WatchedChunks(ChunkSource chunks) {
            this.chunks = chunks;
        }

        @Override
        public @Nullable ByteBuffer next() throws IOException {
            return watched(chunks::next);
        }

        @Override
        public @Nullable ByteBuffer next(Supplier<ByteBuffer> buffers) throws IOException {
            return watched(() -> chunks.next(buffers));
        }

        @Override
        public OptionalLong announcedLength() {
            return chunks.announcedLength();
        }

        @Override
        public boolean hasParts() {
            return chunks.hasParts();
        }

        @Override
        public ChunkSource part(long first, long length) {
            return new WatchedChunks(chunks.part(first, length));
        }

        private @Nullable ByteBuffer watched(NextChunk next) throws IOException {
            try {
                ByteBuffer chunk = next.read();
                if (chunk == null) {
                    succeeded("read blobs");
                }
                return chunk;
            } catch (IOException e) {
                failed("read blobs", e);
                throw e;
            } catch (StorageException e) {
                if (isStoreFault(e)) {
                    failed("read blobs", e);
                }
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            chunks.close();
        }
    }

    /** One read of a blob's next chunk. */
    @FunctionalInterface
    private interface NextChunk {
        @Nullable ByteBuffer read() throws IOException;
    }

    @Override
    public Manifest push(String repository, String tag, Artifact artifact, boolean overwrite) {
        return watch("push", () -> delegate.push(repository, tag, artifact, overwrite));
    }

    @Override
    public boolean delete(String repository, String tag) {
        return watch("delete", () -> delegate.delete(repository, tag));
    }
}
