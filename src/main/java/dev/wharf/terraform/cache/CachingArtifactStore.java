package dev.wharf.terraform.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ForwardingArtifactStore;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Generation;
import dev.wharf.oci.Generations;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.Stamped;
import dev.wharf.oci.cache.CacheChecks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Puts the caches the registry protocols need in front of a store. Every {@code terraform init}
 * asks for the same version lists, which is what overwhelmed storage behind boring-registry.
 *
 * <ul>
 * <li>A tag list changes when someone uploads, so it is kept for {@code tagTtl} only (zero turns
 * all caching off) and dropped at once when a push goes through this instance. A list still in
 * use in the last quarter of its time is read again in the background ({@link TagListCache}), while the old one is served
 * (never past its time): a list in steady use then never makes a request wait for the registry,
 * and answers built on it stay current when it comes back the same. Without that, every expiry
 * sent the requests of a hot answer through the router at once, and the JIT threw away the code
 * compiled for the ready answers' path under load (bench/RESULTS.md, session 19).</li>
 * <li>A tag that was found stays trusted for {@code manifestTtl} (at least {@code tagTtl}) as long
 * as the repository's tag list still names it. Terraform versions are immutable, uploads never
 * overwrite them, so re-reading every version's manifest each time the tag list expires would make
 * the cost of one new version proportional to all versions (bench/RESULTS.md, figure 3). A tag gone
 * from a fresh list is forgotten at once; a tag re-pointed behind Wharf's back is seen after
 * {@code manifestTtl} at the latest.</li>
 * <li>A tag that was not found is remembered for {@code tagTtl} only: it may be uploaded any time.</li>
 * <li>A manifest looked up by digest can never change, so it stays until the size bound evicts it.</li>
 * </ul>
 *
 * <p>Each tag list and tag lookup is handed out with a {@link Generation} ({@link #listTagsStamped},
 * {@link #resolveStamped}); {@link #isCurrentTagList} and {@link #isCurrentResolution} tell from
 * memory whether a generation is still the cached entry's. Reading the store again after an entry
 * expired or was dropped keeps the generation when the content is the same (the same tags, in the
 * same order; the same manifest digest, or still none) and takes a new one when it differs, so
 * answers built on unchanged content stay current across the TTL.
 */
public final class CachingArtifactStore extends ForwardingArtifactStore {
    private record TagKey(String repository, String tag) {
    }

    private final TagListCache tagLists;
    private final Cache<TagKey, Stamped<Optional<Manifest>>> tagManifests;
    private final Cache<Digest, Manifest> manifestsByDigest;
    // What each key last held, kept past its expiry (bounded like the caches themselves): a reload
    // with the same content takes its generation back instead of a new one.
    private final Cache<String, Stamped<List<String>>> lastTagLists;
    private final Cache<TagKey, Stamped<Optional<Manifest>>> lastTagManifests;
    private final Generations generations = new Generations();
    private final FoundTags foundTags = new FoundTags();

    public CachingArtifactStore(ArtifactStore delegate, Duration tagTtl) {
        this(delegate, tagTtl, tagTtl);
    }

    public CachingArtifactStore(ArtifactStore delegate, Duration tagTtl, Duration manifestTtl) {
        this(delegate, tagTtl, manifestTtl, Ticker.systemTicker());
    }

    /** With the clock the expiry times are read from; tests pass their own. */
    public CachingArtifactStore(ArtifactStore delegate, Duration tagTtl, Duration manifestTtl, Ticker ticker) {
        this(delegate, tagTtl, manifestTtl, ticker, TagListCache.refreshThreads());
    }

    /** With the clock, and where tag lists are read again ahead of their expiry; tests pass their own. */
    public CachingArtifactStore(ArtifactStore delegate, Duration tagTtl, Duration manifestTtl, Ticker ticker, Executor refreshes) {
        super(delegate);
        long ttl = tagTtl.toNanos();
        // A tag found stays trusted for the manifest TTL (at least the tag TTL); one not found, for the tag TTL.
        long found = ttl == 0 ? 0 : Math.max(ttl, manifestTtl.toNanos());
        this.tagLists = new TagListCache(tagTtl, this::freshTags, ticker, refreshes);
        // Upkeep on the reading thread, as for the tag lists (TagListCache): a provider download's ready answer checks four
        // lookups with every request, and a cache with its own expiry per entry records every read.
        this.tagManifests = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run).maximumSize(100_000).recordStats()
                .expireAfter(new Expiry<TagKey, Stamped<Optional<Manifest>>>() {
                    @Override
                    public long expireAfterCreate(TagKey key, Stamped<Optional<Manifest>> value, long currentTime) {
                        return value.value().isPresent() ? found : ttl;
                    }

                    @Override
                    public long expireAfterUpdate(TagKey key, Stamped<Optional<Manifest>> value, long currentTime, long currentDuration) {
                        return expireAfterCreate(key, value, currentTime);
                    }

                    @Override
                    public long expireAfterRead(TagKey key, Stamped<Optional<Manifest>> value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                }).build();
        this.manifestsByDigest = Caffeine.newBuilder().maximumSize(50_000).recordStats().build();
        this.lastTagLists = Caffeine.newBuilder().maximumSize(10_000).build();
        this.lastTagManifests = Caffeine.newBuilder().maximumSize(100_000).build();
    }

    /** The caches by name, for their hit, miss and size metrics. */
    public java.util.Map<String, Cache<?, ?>> caches() {
        return java.util.Map.of("tag_lists", tagLists.cache(), "tag_manifests", tagManifests, "manifests_by_digest", manifestsByDigest);
    }

    @Override
    public List<String> listTags(String repository) {
        return listTagsStamped(repository).value();
    }

    @Override
    public Stamped<List<String>> listTagsStamped(String repository) {
        return tagLists.get(repository);
    }

    private Stamped<List<String>> freshTags(String repository) {
        List<String> tags = List.copyOf(delegate.listTags(repository));
        for (String gone : foundTags.removeUnlisted(repository, new HashSet<>(tags))) {
            tagManifests.invalidate(new TagKey(repository, gone));
        }
        return lastTagLists.asMap().compute(repository,
                (r, last) -> last != null && last.value().equals(tags) ? last : new Stamped<>(tags, generations.next()));
    }

    /** The lookup stamped: the generation it had when last read, if its manifest is still the same (or still none). */
    private Stamped<Optional<Manifest>> stamp(TagKey key, Optional<Manifest> manifest) {
        manifest.ifPresent(m -> manifestsByDigest.put(m.digest(), m));
        return lastTagManifests.asMap().compute(key,
                (k, last) -> last != null && sameManifest(last.value(), manifest) ? last : new Stamped<>(manifest, generations.next()));
    }

    /**
     * Notes a found tag for {@link #freshTags}: inside the cache's load of the key, or once the entry
     * is in. Never before it is in: a fresh list could then drop the note before the entry arrives,
     * and the entry would outlive the list that no longer names it.
     */
    private Stamped<Optional<Manifest>> keep(TagKey key, Stamped<Optional<Manifest>> stamped) {
        if (stamped.value().isPresent()) {
            foundTags.add(key.repository(), key.tag());
        }
        return stamped;
    }

    private static boolean sameManifest(Optional<Manifest> a, Optional<Manifest> b) {
        return a.isPresent() ? b.isPresent() && a.get().digest().equals(b.get().digest()) : b.isEmpty();
    }

    @Override
    public Optional<Manifest> resolve(String repository, String reference) {
        return resolveStamped(repository, reference).value();
    }

    /** A lookup by digest never changes and is never checked: it comes with {@link Generation#NONE}. */
    @Override
    public Stamped<Optional<Manifest>> resolveStamped(String repository, String reference) {
        if (Digest.isDigest(reference)) {
            Digest digest = Digest.parse(reference);
            Manifest cached = manifestsByDigest.getIfPresent(digest);
            if (cached != null) {
                return Stamped.uncached(Optional.of(cached));
            }
            Optional<Manifest> found = delegate.resolve(repository, reference);
            found.ifPresent(m -> manifestsByDigest.put(digest, m));
            return Stamped.uncached(found);
        }
        return tagManifests.get(new TagKey(repository, reference), k -> keep(k, stamp(k, delegate.resolve(repository, reference))));
    }

    /** Asks the store and keeps its answer: what this instance serves next is at least as new. */
    @Override
    public Optional<Manifest> resolveFresh(String repository, String tag) {
        TagKey key = new TagKey(repository, tag);
        Stamped<Optional<Manifest>> fresh = stamp(key, delegate.resolveFresh(repository, tag));
        Stamped<Optional<Manifest>> before = tagManifests.asMap().put(key, fresh);
        keep(key, fresh);
        if (before == null || before.value().isPresent() != fresh.value().isPresent()) {
            tagLists.invalidate(repository);
        }
        return fresh.value();
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
            if (Digest.isDigest(reference)) {
                answer.ifPresent(manifest -> manifestsByDigest.put(manifest.digest(), manifest));
            } else {
                TagKey key = new TagKey(repository, reference);
                Stamped<Optional<Manifest>> stamped = stamp(key, answer);
                tagManifests.put(key, stamped);
                keep(key, stamped);
            }
        }
        return answers;
    }

    /** What the caches know of a reference; null when they don't. */
    private @Nullable Optional<Manifest> cached(String repository, String reference) {
        if (Digest.isDigest(reference)) {
            Manifest manifest = manifestsByDigest.getIfPresent(Digest.parse(reference));
            return manifest == null ? null : Optional.of(manifest);
        }
        Stamped<Optional<Manifest>> known = tagManifests.getIfPresent(new TagKey(repository, reference));
        return known == null ? null : known.value();
    }

    /** Whether the list cached for the repository, still within its time, has this generation. */
    @Override
    public boolean isCurrentTagList(String repository, Generation generation) {
        return tagLists.isCurrent(repository, generation);
    }

    /** Whether the lookup cached for the tag, still within its time, has this generation. */
    @Override
    public boolean isCurrentResolution(String repository, String reference, Generation generation) {
        Stamped<Optional<Manifest>> cached = CacheChecks.peek(tagManifests, new TagKey(repository, reference));
        return cached != null && cached.generation().equals(generation);
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
        foundTags.remove(repository, tag);
    }

    /** Forgets what is known about a repository's tags. */
    public void invalidate(String repository) {
        tagLists.invalidate(repository);
        tagManifests.asMap().keySet().removeIf(k -> k.repository().equals(repository));
    }
}
