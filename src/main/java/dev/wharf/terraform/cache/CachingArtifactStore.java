package dev.wharf.terraform.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.BlobSink;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Puts the two caches the registry protocols need in front of a store. Tag lists and tag lookups
 * change when someone uploads, so they are kept for {@code tagTtl} only (zero turns that off) and
 * dropped at once when a push goes through this instance. A manifest looked up by digest can never
 * change, so it stays until the size bound evicts it. Every
 * {@code terraform init} asks for the same version lists, which is what overwhelmed storage behind
 * boring-registry.
 */
public final class CachingArtifactStore implements ArtifactStore {
    private record TagKey(String repository, String tag) {
    }

    private final ArtifactStore delegate;
    private final Cache<String, List<String>> tagLists;
    private final Cache<TagKey, Optional<Manifest>> tagManifests;
    private final Cache<Digest, Manifest> manifestsByDigest;

    public CachingArtifactStore(ArtifactStore delegate, Duration tagTtl) {
        this.delegate = delegate;
        this.tagLists = Caffeine.newBuilder().expireAfterWrite(tagTtl).maximumSize(10_000).build();
        this.tagManifests = Caffeine.newBuilder().expireAfterWrite(tagTtl).maximumSize(50_000).build();
        this.manifestsByDigest = Caffeine.newBuilder().maximumSize(50_000).build();
    }

    @Override
    public List<String> listTags(String repository) {
        return tagLists.get(repository, delegate::listTags);
    }

    @Override
    public Optional<Manifest> resolve(String repository, String reference) {
        if (Digest.isDigest(reference)) {
            Digest digest = Digest.parse(reference);
            Manifest cached = manifestsByDigest.getIfPresent(digest);
            if (cached != null) {
                return Optional.of(cached);
            }
            Optional<Manifest> found = delegate.resolve(repository, reference);
            found.ifPresent(m -> manifestsByDigest.put(digest, m));
            return found;
        }
        Optional<Manifest> found = tagManifests.get(new TagKey(repository, reference), k -> delegate.resolve(repository, reference));
        found.ifPresent(m -> manifestsByDigest.put(m.digest(), m));
        return found;
    }

    /** Always asks the store: uploads use this to decide whether a version exists. */
    @Override
    public boolean exists(String repository, String tag) {
        return delegate.exists(repository, tag);
    }

    @Override
    public InputStream openBlob(String repository, Digest digest) {
        return delegate.openBlob(repository, digest);
    }

    @Override
    public void copyBlob(String repository, Digest digest, BlobSink sink) throws IOException {
        delegate.copyBlob(repository, digest, sink);
    }

    @Override
    public Optional<URI> directBlobUrl(String repository, Digest digest) {
        return delegate.directBlobUrl(repository, digest);
    }

    @Override
    public Manifest push(String repository, String tag, Artifact artifact, boolean overwrite) {
        try {
            return delegate.push(repository, tag, artifact, overwrite);
        } finally {
            invalidate(repository);
        }
    }

    @Override
    public boolean delete(String repository, String tag) {
        try {
            return delegate.delete(repository, tag);
        } finally {
            invalidate(repository);
        }
    }

    /** Forgets what is known about a repository's tags. */
    public void invalidate(String repository) {
        tagLists.invalidate(repository);
        tagManifests.asMap().keySet().removeIf(k -> k.repository().equals(repository));
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
