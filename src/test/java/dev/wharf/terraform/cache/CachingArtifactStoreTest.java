package dev.wharf.terraform.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ForwardingArtifactStore;
import dev.wharf.oci.Generation;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.Stamped;
import dev.wharf.oci.layout.ImageLayoutStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each kind of change costs the store behind the cache, counted request by request. */
class CachingArtifactStoreTest {
    private static final String REPO = "boring-registry/providers/acme/dummy";
    private static final Duration TAG_TTL = Duration.ofSeconds(30);
    private static final Duration MANIFEST_TTL = Duration.ofHours(24);

    @TempDir
    Path dir;

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private ImageLayoutStore layout;
    private CountingStore counting;
    private CachingArtifactStore cache;

    @BeforeEach
    void setUp() {
        layout = new ImageLayoutStore(dir);
        counting = new CountingStore(layout);
        cache = new CachingArtifactStore(counting, TAG_TTL, MANIFEST_TTL, nanos::get);
    }

    private void pass(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    private Manifest push(String tag, String content) {
        return layout.push(REPO, tag, Artifact.single("application/vnd.wharf.test",
                Layer.file("application/octet-stream", tag, BlobSource.ofBytes(content.getBytes(StandardCharsets.UTF_8)))), true);
    }

    private List<String> tags(int n) {
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tags.add("v" + i);
            push("v" + i, "content " + i);
        }
        return tags;
    }

    @Test
    void afterTheTagListExpiresOnlyNewTagsAreLookedUp() {
        List<String> tags = tags(50);
        assertThat(cache.listTags(REPO)).hasSize(50);
        assertThat(cache.resolveAll(REPO, tags)).allMatch(Optional::isPresent);
        assertThat(counting.resolved).hasSize(50);

        push("v50", "content 50");
        pass(TAG_TTL.plusSeconds(1));
        counting.reset();
        List<String> now = new ArrayList<>(cache.listTags(REPO));
        now.sort(null);
        assertThat(now).hasSize(51);
        List<Optional<Manifest>> answers = cache.resolveAll(REPO, now);

        assertThat(counting.lists).isEqualTo(1);
        assertThat(counting.resolved).containsExactly("v50");
        assertThat(answers).allMatch(Optional::isPresent);
        assertThat(answers.get(now.indexOf("v7")).get().digest()).isEqualTo(layout.resolve(REPO, "v7").orElseThrow().digest());
    }

    @Test
    void aTagGoneFromAFreshListIsForgottenAtOnce() {
        tags(3);
        cache.listTags(REPO);
        assertThat(cache.resolve(REPO, "v1")).isPresent();
        layout.delete(REPO, "v1");
        pass(TAG_TTL.plusSeconds(1));

        assertThat(cache.listTags(REPO)).containsExactlyInAnyOrder("v0", "v2");
        assertThat(cache.resolve(REPO, "v1")).isEmpty();
    }

    @Test
    void aTagGoneFromAFreshListIsForgottenWhicheverLookupCachedIt() {
        tags(3);
        cache.listTags(REPO);
        assertThat(cache.resolveAll(REPO, List.of("v0"))).allMatch(Optional::isPresent);
        assertThat(cache.resolveFresh(REPO, "v1")).isPresent();
        layout.delete(REPO, "v0");
        layout.delete(REPO, "v1");
        pass(TAG_TTL.plusSeconds(1));

        assertThat(cache.listTags(REPO)).containsExactly("v2");
        assertThat(cache.resolve(REPO, "v0")).isEmpty();
        assertThat(cache.resolveAll(REPO, List.of("v1"))).containsExactly(Optional.empty());
    }

    @Test
    void aFreshListForgetsOnlyTheTagsOfItsOwnRepository() {
        String other = "boring-registry/providers/acme/other";
        tags(2);
        layout.push(other, "v0", Artifact.single("application/vnd.wharf.test",
                Layer.file("application/octet-stream", "v0", BlobSource.ofBytes("other".getBytes(StandardCharsets.UTF_8)))), true);
        cache.listTags(REPO);
        cache.listTags(other);
        assertThat(cache.resolve(REPO, "v0")).isPresent();
        assertThat(cache.resolve(other, "v0")).isPresent();
        layout.delete(REPO, "v0");
        pass(TAG_TTL.plusSeconds(1));
        counting.reset();

        assertThat(cache.listTags(REPO)).containsExactly("v1");
        assertThat(cache.resolve(REPO, "v0")).isEmpty();
        assertThat(cache.resolve(other, "v0")).isPresent();
        assertThat(counting.resolved).containsExactly("v0");
    }

    @Test
    void aRepointedTagIsSeenAfterTheManifestTtl() {
        tags(1);
        Manifest first = layout.resolve(REPO, "v0").orElseThrow();
        assertThat(cache.resolve(REPO, "v0")).contains(first);
        Manifest second = push("v0", "other content");

        pass(TAG_TTL.plusSeconds(1));
        cache.listTags(REPO);
        assertThat(cache.resolve(REPO, "v0")).contains(first);

        pass(MANIFEST_TTL);
        assertThat(cache.resolve(REPO, "v0")).contains(second);
    }

    @Test
    void aMissingTagIsAskedForAgainAfterTheTagTtl() {
        assertThat(cache.resolve(REPO, "v0")).isEmpty();
        push("v0", "late");
        assertThat(cache.resolve(REPO, "v0")).isEmpty();
        pass(TAG_TTL.plusSeconds(1));
        assertThat(cache.resolve(REPO, "v0")).isPresent();
    }

    @Test
    void aPushThroughTheCacheShowsAtOnceAndKeepsTheOtherTags() {
        List<String> tags = tags(5);
        cache.listTags(REPO);
        cache.resolveAll(REPO, tags);
        counting.reset();

        cache.push(REPO, "v5", Artifact.single("application/vnd.wharf.test",
                Layer.file("application/octet-stream", "v5", BlobSource.ofBytes(new byte[] {1}))), false);
        assertThat(cache.listTags(REPO)).contains("v5");
        List<String> all = new ArrayList<>(tags);
        all.add("v5");
        assertThat(cache.resolveAll(REPO, all)).allMatch(Optional::isPresent);
        assertThat(counting.resolved).containsExactly("v5");
    }

    @Test
    void aZeroTagTtlCachesNothing() {
        CachingArtifactStore off = new CachingArtifactStore(counting, Duration.ZERO, MANIFEST_TTL, nanos::get);
        tags(2);
        off.listTags(REPO);
        off.listTags(REPO);
        off.resolve(REPO, "v0");
        off.resolve(REPO, "v0");
        assertThat(counting.lists).isEqualTo(2);
        assertThat(counting.resolved).containsExactly("v0", "v0");
    }

    /** The checks a network thread makes: from memory, by generation, never by which object carried the answer. */
    @Test
    void fromMemoryChecksNeverAskTheStoreAndFailOnceTheTtlPassesOrATagIsPushed() {
        tags(3);
        Stamped<List<String>> listed = cache.listTagsStamped(REPO);
        Stamped<Optional<Manifest>> v1 = cache.resolveStamped(REPO, "v1");
        Stamped<Optional<Manifest>> absent = cache.resolveStamped(REPO, "v9");
        counting.reset();

        assertThat(listed.generation().isCached()).isTrue();
        assertThat(cache.isCurrentTagList(REPO, listed.generation())).isTrue();
        assertThat(cache.isCurrentTagList(REPO, new Generation(listed.generation().value()))).as("an equal generation").isTrue();
        assertThat(cache.isCurrentTagList(REPO, Generation.NONE)).isFalse();
        assertThat(cache.isCurrentTagList("boring-registry/providers/acme/other", listed.generation())).as("never listed").isFalse();
        assertThat(cache.isCurrentResolution(REPO, "v1", v1.generation())).isTrue();
        assertThat(cache.isCurrentResolution(REPO, "v9", absent.generation())).isTrue();
        assertThat(cache.isCurrentResolution(REPO, "v2", v1.generation())).as("never looked up").isFalse();
        assertThat(cache.isCurrentResolution(REPO, "v1", absent.generation())).as("another lookup's generation").isFalse();

        pass(TAG_TTL.plusSeconds(1));
        assertThat(cache.isCurrentTagList(REPO, listed.generation())).isFalse();
        assertThat(cache.isCurrentResolution(REPO, "v9", absent.generation())).as("a missing tag is trusted for the tag TTL only").isFalse();
        assertThat(cache.isCurrentResolution(REPO, "v1", v1.generation())).as("a found tag for the manifest TTL").isTrue();

        cache.push(REPO, "v1", Artifact.single("application/vnd.wharf.test",
                Layer.file("application/octet-stream", "v1", BlobSource.ofBytes(new byte[] {1}))), true);
        assertThat(cache.isCurrentResolution(REPO, "v1", v1.generation())).isFalse();
        assertThat(counting.lists).isZero();
        assertThat(counting.resolved).isEmpty();
    }

    /** The contract the ready answers stand on: reading again keeps the generation exactly while the content is the same. */
    @Test
    void readingAgainKeepsTheGenerationOfUnchangedContentAndChangesThatOfChangedContent() {
        tags(3);
        Generation list = cache.listTagsStamped(REPO).generation();
        Generation v1 = cache.resolveStamped(REPO, "v1").generation();
        Generation v2 = cache.resolveStamped(REPO, "v2").generation();
        Generation v9 = cache.resolveStamped(REPO, "v9").generation();
        assertThat(List.of(list, v1, v2, v9)).as("one generation per entry").doesNotHaveDuplicates();

        pass(MANIFEST_TTL.plusSeconds(1));
        assertThat(cache.isCurrentTagList(REPO, list)).as("expired: not current until read again").isFalse();
        assertThat(cache.isCurrentResolution(REPO, "v1", v1)).isFalse();
        counting.reset();
        assertThat(cache.listTagsStamped(REPO).generation()).as("the same tags, read again").isEqualTo(list);
        assertThat(cache.resolveStamped(REPO, "v1").generation()).as("the same manifest, read again").isEqualTo(v1);
        assertThat(cache.resolveAll(REPO, List.of("v2", "v9"))).hasSize(2);
        assertThat(counting.lists).as("they were read again").isEqualTo(1);
        assertThat(counting.resolved).containsExactly("v1", "v2", "v9");
        assertThat(cache.isCurrentTagList(REPO, list)).isTrue();
        assertThat(cache.isCurrentResolution(REPO, "v1", v1)).isTrue();
        assertThat(cache.isCurrentResolution(REPO, "v2", v2)).as("read again in a batch").isTrue();
        assertThat(cache.isCurrentResolution(REPO, "v9", v9)).as("still missing").isTrue();

        // Changed behind the cache's back: v1 re-pointed, v9 created, so the list has one more tag.
        push("v1", "other content");
        push("v9", "new");
        pass(MANIFEST_TTL.plusSeconds(1));
        Generation newList = cache.listTagsStamped(REPO).generation();
        Generation newV1 = cache.resolveStamped(REPO, "v1").generation();
        Generation newV9 = cache.resolveStamped(REPO, "v9").generation();
        assertThat(newList).isNotEqualTo(list);
        assertThat(newV1).isNotEqualTo(v1);
        assertThat(newV9).isNotEqualTo(v9);
        assertThat(cache.resolveStamped(REPO, "v2").generation()).as("v2 did not change").isEqualTo(v2);
        assertThat(cache.isCurrentTagList(REPO, list)).isFalse();
        assertThat(cache.isCurrentTagList(REPO, newList)).isTrue();
        assertThat(cache.isCurrentResolution(REPO, "v1", v1)).isFalse();
        assertThat(cache.isCurrentResolution(REPO, "v1", newV1)).isTrue();
        assertThat(cache.isCurrentResolution(REPO, "v9", v9)).isFalse();
    }

    @Test
    void aStoreWithoutCachesNeverClaimsAnAnswerIsCurrent() {
        tags(1);
        Stamped<List<String>> listed = layout.listTagsStamped(REPO);
        assertThat(listed.generation()).isEqualTo(Generation.NONE);
        assertThat(layout.isCurrentTagList(REPO, listed.generation())).isFalse();
        assertThat(layout.isCurrentResolution(REPO, "v0", layout.resolveStamped(REPO, "v0").generation())).isFalse();
        CachingArtifactStore off = new CachingArtifactStore(layout, Duration.ZERO);
        assertThat(off.isCurrentTagList(REPO, off.listTagsStamped(REPO).generation())).isFalse();
    }

    @Test
    void aFreshLookupAsksPastTheCacheAndWhatIsServedNextIsTheFreshAnswer() {
        Manifest first = push("signing-keys.json", "one key");
        assertThat(cache.resolve(REPO, "signing-keys.json")).map(Manifest::digest).contains(first.digest());
        // Another replica rewrites the tag behind this cache, well within the manifest TTL.
        Manifest second = push("signing-keys.json", "two keys");
        assertThat(cache.resolve(REPO, "signing-keys.json")).map(Manifest::digest).contains(first.digest());

        assertThat(cache.resolveFresh(REPO, "signing-keys.json")).map(Manifest::digest).contains(second.digest());
        assertThat(cache.resolve(REPO, "signing-keys.json")).map(Manifest::digest).contains(second.digest());
    }

    private static final class CountingStore extends ForwardingArtifactStore {
        final List<String> resolved = java.util.Collections.synchronizedList(new ArrayList<>());
        int lists;

        CountingStore(ArtifactStore delegate) {
            super(delegate);
        }

        void reset() {
            resolved.clear();
            lists = 0;
        }

        @Override
        public List<String> listTags(String repository) {
            lists++;
            return delegate.listTags(repository);
        }

        @Override
        public Optional<Manifest> resolve(String repository, String reference) {
            resolved.add(reference);
            return delegate.resolve(repository, reference);
        }

        /** One by one through {@link #resolve}, so that each lookup is counted. */
        @Override
        public List<Optional<Manifest>> resolveAll(String repository, List<String> references) {
            return references.stream().map(reference -> resolve(repository, reference)).toList();
        }
    }
}
