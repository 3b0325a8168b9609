package dev.wharf.terraform.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.ForwardingArtifactStore;
import dev.wharf.oci.Generation;
import dev.wharf.oci.Layer;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.layout.ImageLayoutStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tag list in use is read again in the background in the last quarter of its TTL, so that the
 * answers built on it stay current across the TTL; never served past its TTL, even when the registry
 * fails the read ahead. The reads ahead run when the test says, from its own queue.
 */
class TagListRefreshTest {
    private static final String REPO = "boring-registry/modules/acme/vpc/aws";
    private static final Duration TAG_TTL = Duration.ofSeconds(40);

    @TempDir
    Path dir;

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Queue<Runnable> background = new ArrayDeque<>();
    private ImageLayoutStore layout;
    private ListingStore listing;
    private CachingArtifactStore cache;

    @BeforeEach
    void setUp() {
        layout = new ImageLayoutStore(dir);
        listing = new ListingStore(layout);
        cache = new CachingArtifactStore(listing, TAG_TTL, Duration.ofHours(24), nanos::get, background::add);
        push("1.0.0");
        push("1.1.0");
    }

    private void push(String tag) {
        layout.push(REPO, tag, Artifact.single("application/vnd.wharf.test",
                Layer.file("application/octet-stream", tag, BlobSource.ofBytes(tag.getBytes(StandardCharsets.UTF_8)))), true);
    }

    private void pass(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    /** Runs what the cache handed to its executor: the reads ahead. */
    private void runBackground() {
        for (Runnable r; (r = background.poll()) != null; ) {
            r.run();
        }
    }

    @Test
    void aListCheckedInTheLastQuarterOfItsTimeIsReadAgainAndStaysCurrentPastItsFirstExpiry() {
        Generation listed = cache.listTagsStamped(REPO).generation();
        pass(Duration.ofSeconds(20));
        assertThat(cache.isCurrentTagList(REPO, listed)).isTrue();
        runBackground();
        assertThat(listing.lists).as("nothing read ahead halfway through").isEqualTo(1);

        pass(Duration.ofSeconds(12));
        assertThat(cache.isCurrentTagList(REPO, listed)).as("served while it is read again").isTrue();
        assertThat(listing.lists).as("not on the checking thread").isEqualTo(1);
        runBackground();
        assertThat(listing.lists).isEqualTo(2);

        pass(Duration.ofSeconds(20));
        assertThat(cache.isCurrentTagList(REPO, listed)).as("52 s after the first read, 20 s after the second").isTrue();
        assertThat(cache.listTags(REPO)).containsExactly("1.0.0", "1.1.0");
        assertThat(listing.lists).isEqualTo(2);
    }

    /**
     * Figure 1 checks a list with every request: Caffeine's upkeep of its read buffers, handed to the
     * executor, woke a refresh thread every few dozen checks (bench/RESULTS.md, session 21). It runs on
     * the checking thread; the refresh threads get the reads ahead and nothing else.
     */
    @Test
    void checksOfAListThatIsNotDueGiveTheRefreshThreadsNothing() {
        Generation listed = cache.listTagsStamped(REPO).generation();
        for (int i = 0; i < 10_000; i++) {
            assertThat(cache.isCurrentTagList(REPO, listed)).isTrue();
            cache.listTags(REPO);
        }
        assertThat(background).as("upkeep on the checking thread, no read ahead due").isEmpty();

        pass(Duration.ofSeconds(31));
        for (int i = 0; i < 1_000; i++) {
            cache.isCurrentTagList(REPO, listed);
        }
        assertThat(background).as("one read ahead, once it is due").hasSize(1);
    }

    @Test
    void aListThatChangedWhenReadAheadIsANewGeneration() {
        Generation listed = cache.listTagsStamped(REPO).generation();
        push("1.2.0");
        pass(Duration.ofSeconds(31));
        assertThat(cache.listTags(REPO)).as("the old list, until the new one is in").hasSize(2);
        runBackground();

        assertThat(cache.isCurrentTagList(REPO, listed)).isFalse();
        assertThat(cache.listTags(REPO)).containsExactly("1.0.0", "1.1.0", "1.2.0");
    }

    @Test
    void aReadAheadThatFailsKeepsTheListUntilItsOwnTimeAndIsNotTriedAgainForEveryCheck() {
        Generation listed = cache.listTagsStamped(REPO).generation();
        listing.down = true;
        pass(Duration.ofSeconds(31));
        assertThat(cache.isCurrentTagList(REPO, listed)).isTrue();
        runBackground();
        for (int i = 0; i < 5; i++) {
            assertThat(cache.isCurrentTagList(REPO, listed)).isTrue();
        }
        runBackground();
        assertThat(listing.lists).as("one try ahead, not one with each check").isEqualTo(2);

        pass(Duration.ofSeconds(10));
        assertThat(cache.isCurrentTagList(REPO, listed)).as("41 s after the read: past its TTL").isFalse();
        assertThatThrownBy(() -> cache.listTags(REPO)).isInstanceOf(StorageException.class);
        listing.down = false;
        assertThat(cache.listTagsStamped(REPO).generation()).as("the same list once the registry answers").isEqualTo(listed);
    }

    @Test
    void aPushThroughTheCacheWhileAListIsReadAheadIsNotUndone() {
        cache.listTags(REPO);
        pass(Duration.ofSeconds(31));
        cache.listTags(REPO);
        cache.push(REPO, "2.0.0", Artifact.single("application/vnd.wharf.test",
                Layer.file("application/octet-stream", "2.0.0", BlobSource.ofBytes(new byte[] {2}))), true);
        runBackground();
        assertThat(cache.listTags(REPO)).contains("2.0.0");
    }

    private static final class ListingStore extends ForwardingArtifactStore {
        int lists;
        volatile boolean down;

        ListingStore(ArtifactStore delegate) {
            super(delegate);
        }

        @Override
        public List<String> listTags(String repository) {
            lists++;
            if (down) {
                throw new StorageException(StorageException.Kind.UNREACHABLE, "the registry is down");
            }
            return delegate.listTags(repository);
        }
    }
}
