package dev.wharf.epr;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.ForwardingArtifactStore;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Manifest;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Counts the reads that cost a registry request (tag lists, manifest lookups, blob downloads) and
 * lets a test run something before each manifest lookup or blob download (a fault, a barrier). Thread-safe: the
 * indexer resolves tags on several threads.
 */
final class CountingArtifactStore extends ForwardingArtifactStore {
    private final AtomicInteger tagLists = new AtomicInteger();
    private final Map<String, AtomicInteger> resolved = new ConcurrentHashMap<>();
    private final AtomicInteger blobs = new AtomicInteger();
    private volatile Consumer<String> beforeResolve = reference -> { };
    private volatile Consumer<Digest> beforeBlob = digest -> { };

    CountingArtifactStore(ArtifactStore delegate) {
        super(delegate);
    }

    void beforeResolve(Consumer<String> hook) {
        this.beforeResolve = hook;
    }

    /** Runs {@code hook} before each blob download, which is counted once the hook returns. */
    void beforeBlob(Consumer<Digest> hook) {
        this.beforeBlob = hook;
    }

    void reset() {
        tagLists.set(0);
        resolved.clear();
        blobs.set(0);
    }

    int tagLists() {
        return tagLists.get();
    }

    /** Manifest lookups since the last reset. */
    int manifests() {
        return resolved.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** The references looked up since the last reset, each once, sorted. */
    List<String> resolvedReferences() {
        return resolved.keySet().stream().sorted().toList();
    }

    int blobs() {
        return blobs.get();
    }

    @Override
    public List<String> listTags(String repository) {
        tagLists.incrementAndGet();
        return delegate.listTags(repository);
    }

    @Override
    public Optional<Manifest> resolve(String repository, String reference) {
        beforeResolve.accept(reference);
        resolved.computeIfAbsent(reference, r -> new AtomicInteger()).incrementAndGet();
        return delegate.resolve(repository, reference);
    }

    /** One by one through {@link #resolve}, so that each lookup is counted. */
    @Override
    public List<Optional<Manifest>> resolveAll(String repository, List<String> references) {
        return references.stream().map(reference -> resolve(repository, reference)).toList();
    }

    @Override
    public InputStream openBlob(String repository, Digest digest) {
        counted(digest);
        return delegate.openBlob(repository, digest);
    }

    /** As {@link #openBlob}: the cache's downloads read blobs as chunks. */
    @Override
    public ChunkSource readBlob(String repository, Digest digest) {
        counted(digest);
        return delegate.readBlob(repository, digest);
    }

    @Override
    public ChunkSource readBlob(String repository, Descriptor blob) {
        counted(blob.digest());
        return delegate.readBlob(repository, blob);
    }

    private void counted(Digest digest) {
        beforeBlob.accept(digest);
        blobs.incrementAndGet();
    }

}
