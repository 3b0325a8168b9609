package dev.wharf.terraform.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ForwardingArtifactStore;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Manifest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Puts the caches the registry protocols need in front of a store. Every {@code terraform init}
 * asks for the same version lists, which is what overwhelmed storage behind boring-registry.
 *
 * <ul>
 * <li>A tag list changes when someone uploads, so it is kept for {@code tagTtl} only (zero turns
 * all caching off) and dropped at once when a push goes through this instance.</li>
 * <li>A tag that was found stays trusted for {@code manifestTtl} (at least {@code tagTtl}) as long
 * as the repository's tag list still names it. Terraform versions are immutable, uploads never
 * overwrite them, so re-reading every version's manifest each time the tag list expires would make
 * the cost of one new version proportional to all versions (bench/RESULTS.md, figure 3). A tag gone
 * from a fresh list is forgotten at once; a tag re-pointed behind Wharf's back is seen after
 * {@code manifestTtl} at the latest.</li>
 * <li>A tag that was not found is remembered for {@code tagTtl} only: it may be uploaded any time.</li>
 * <li>A manifest looked up by digest can never change, so it stays until the size bound evicts it.</li>
 * </ul>
 */
public final class CachingArtifactStore extends ForwardingArtifactStore {
    private record TagKey(String repository, String tag) {
    }

    private final Cache<String, List<String>> tagLists;
    private final Cache<TagKey, Optional<Manifest>> tagManifests;
    private final Cache<Digest, Manifest> manifestsByDigest;

    public CachingArtifactStore(ArtifactStore delegate, Duration tagTtl) {
        this(delegate, tagTtl, tagTtl);
    }

    public CachingArtifactStore(ArtifactStore delegate, Duration tagTtl, Duration manifestTtl) {
        this(delegate, tagTtl, manifestTtl, Ticker.systemTicker());
    }

    /** With the clock the expiry times are read from; tests pass their own. */
    public CachingArtifactStore(ArtifactStore delegate, Duration tagTtl, Duration manifestTtl, Ticker ticker) {
        super(delegate);
        long found = tagTtl.isZero() ? 0 : Math.max(tagTtl.toNanos(), manifestTtl.toNanos());
        long missing = tagTtl.toNanos();
        this.tagLists = Caffeine.newBuilder().ticker(ticker).expireAfterWrite(tagTtl).maximumSize(10_000).recordStats().build();
        this.tagManifests = Caffeine.newBuilder().ticker(ticker).maximumSize(100_000).recordStats().expireAfter(new Expiry<TagKey, Optional<Manifest>>() {
            @Override
            public long expireAfterCreate(TagKey key, Optional<Manifest> value, long currentTime) {
                return value.isPresent() ? found : missing;
            }

            @Override
            public long expireAfterUpdate(TagKey key, Optional<Manifest> value, long currentTime, long currentDuration) {
                return expireAfterCreate(key, value, currentTime);
            }

            @Override
            public long expireAfterRead(TagKey key, Optional<Manifest> value, long currentTime, long currentDuration) {
                return currentDuration;
            }
        }).build();
        this.manifestsByDigest = Caffeine.newBuilder().maximumSize(50_000).recordStats().build();
    }

    /** The caches by name, for their hit, miss and size metrics. */
    public java.util.Map<String, Cache<?, ?>> caches() {
        return java.util.Map.of("tag_lists", tagLists, "tag_manifests", tagManifests, "manifests_by_digest", manifestsByDigest);
    }

    @Override
    public List<String> listTags(String repository) {
        return tagLists.get(repository, this::freshTags);
    }

    private List<String> freshTags(String repository) {
        List<String> tags = List.copyOf(delegate.listTags(repository));
        Set<String> listed = new HashSet<>(tags);
        tagManifests.asMap().keySet().removeIf(k -> k.repository().equals(repository) && !listed.contains(k.tag()));
        return tags;
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
        return tagManifests.get(new TagKey(repository, reference), k -> {
            Optional<Manifest> found = delegate.resolve(repository, reference);
            found.ifPresent(m -> manifestsByDigest.put(m.digest(), m));
            return found;
        });
    }

    /** Answers what the caches know and asks the store for the rest in one batch. */
    @Override
    public List<Optional<Manifest>> resolveAll(String repository, List<String> references) {
        List<Optional<Manifest>> answers = new ArrayList<>(references.size());
        List<String> missing = new ArrayList<>();
        for (String reference : references) {
            Optional<Manifest> known = cached(repository, reference);
            answers.add(known);
            if (known == null) {
                missing.add(reference);
            }
        }
        if (missing.isEmpty()) {
            return answers;
        }
        List<Optional<Manifest>> fetched = delegate.resolveAll(repository, missing);
        for (int i = 0, m = 0; i < answers.size(); i++) {
            if (answers.get(i) != null) {
                continue;
            }
            String reference = missing.get(m);
            Optional<Manifest> answer = fetched.get(m++);
            answers.set(i, answer);
            answer.ifPresent(manifest -> manifestsByDigest.put(manifest.digest(), manifest));
            if (!Digest.isDigest(reference)) {
                tagManifests.put(new TagKey(repository, reference), answer);
            }
        }
        return answers;
    }

    /** What the caches know of a reference; null when they don't. */
    private Optional<Manifest> cached(String repository, String reference) {
        if (Digest.isDigest(reference)) {
            Manifest manifest = manifestsByDigest.getIfPresent(Digest.parse(reference));
            return manifest == null ? null : Optional.of(manifest);
        }
        return tagManifests.getIfPresent(new TagKey(repository, reference));
    }

    /** The very list this store would hand out now, still within its time: identity, not equality. */
    @Override
    public boolean isCurrentTagList(String repository, List<String> tags) {
        return tags != null && tagLists.getIfPresent(repository) == tags;
    }

    /**
     * The very lookup this store would hand out now. A digest always resolves to what it resolved
     * to once; a tag only while its cached lookup is the same object and has not expired.
     */
    @Override
    public boolean isCurrentResolution(String repository, String reference, Optional<Manifest> resolved) {
        if (resolved == null) {
            return false;
        }
        if (Digest.isDigest(reference)) {
            return resolved.isPresent() && resolved.get().digest().toString().equals(reference);
        }
        return tagManifests.getIfPresent(new TagKey(repository, reference)) == resolved;
    }

    /** Always asks the store: uploads use this to decide whether a version exists. */
    @Override
    public boolean exists(String repository, String tag) {
        return delegate.exists(repository, tag);
    }

    @Override
    public Manifest push(String repository, String tag, Artifact artifact, boolean overwrite) {
        try {
            return delegate.push(repository, tag, artifact, overwrite);
        } finally {
            forget(repository, tag);
        }
    }

    @Override
    public boolean delete(String repository, String tag) {
        try {
            return delegate.delete(repository, tag);
        } finally {
            forget(repository, tag);
        }
    }

    /** After a change of one tag: the list must be read again, the other tags still mean what they meant. */
    private void forget(String repository, String tag) {
        tagLists.invalidate(repository);
        tagManifests.invalidate(new TagKey(repository, tag));
    }

    /** Forgets what is known about a repository's tags. */
    public void invalidate(String repository) {
        tagLists.invalidate(repository);
        tagManifests.asMap().keySet().removeIf(k -> k.repository().equals(repository));
    }
}
