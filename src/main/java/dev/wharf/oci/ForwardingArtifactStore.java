package dev.wharf.oci;

import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * A store that hands every call to another one: the base of decorators (caches, counters), which
 * override only what they change. Every method forwards, the defaults of {@link ArtifactStore}
 * included, so a decorator never silently replaces the delegate's own {@code readBlob} or
 * {@code resolveAll} with the interface's generic one.
 */
public abstract class ForwardingArtifactStore implements ArtifactStore {
    protected final ArtifactStore delegate;

    protected ForwardingArtifactStore(ArtifactStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public List<String> listTags(String repository) {
        return delegate.listTags(repository);
    }

    @Override
    public List<String> listRepositories(String prefix) {
        return delegate.listRepositories(prefix);
    }

    @Override
    public Optional<Manifest> resolve(String repository, String reference) {
        return delegate.resolve(repository, reference);
    }

    @Override
    public List<Optional<Manifest>> resolveAll(String repository, List<String> references) {
        return delegate.resolveAll(repository, references);
    }

    @Override
    public Stamped<List<String>> listTagsStamped(String repository) {
        return delegate.listTagsStamped(repository);
    }

    @Override
    public Optional<Manifest> resolveFresh(String repository, String tag) {
        return delegate.resolveFresh(repository, tag);
    }

    @Override
    public Stamped<Optional<Manifest>> resolveStamped(String repository, String reference) {
        return delegate.resolveStamped(repository, reference);
    }

    @Override
    public boolean isCurrentTagList(String repository, Generation generation) {
        return delegate.isCurrentTagList(repository, generation);
    }

    @Override
    public boolean isCurrentResolution(String repository, String reference, Generation generation) {
        return delegate.isCurrentResolution(repository, reference, generation);
    }

    @Override
    public boolean exists(String repository, String tag) {
        return delegate.exists(repository, tag);
    }

    @Override
    public InputStream openBlob(String repository, Digest digest) {
        return delegate.openBlob(repository, digest);
    }

    @Override
    public ChunkSource readBlob(String repository, Digest digest) {
        return delegate.readBlob(repository, digest);
    }

    /**
     * The delegate's own size-checked read, so a decorator below this one that keeps blobs (a download cache) sees
     * the descriptor. A decorator that overrides {@link #readBlob(String, Digest)} overrides this too.
     */
    @Override
    public ChunkSource readBlob(String repository, Descriptor blob) {
        return delegate.readBlob(repository, blob);
    }

    @Override
    public boolean readsBlobInParts(String repository, Digest digest) {
        return delegate.readsBlobInParts(repository, digest);
    }

    @Override
    public Optional<URI> directBlobUrl(String repository, Digest digest) {
        return delegate.directBlobUrl(repository, digest);
    }

    @Override
    public Manifest push(String repository, String tag, Artifact artifact, boolean overwrite) {
        return delegate.push(repository, tag, artifact, overwrite);
    }

    @Override
    public boolean delete(String repository, String tag) {
        return delegate.delete(repository, tag);
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
