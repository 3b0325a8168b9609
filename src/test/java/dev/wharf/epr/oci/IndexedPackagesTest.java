package dev.wharf.epr.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.model.Versions;
import dev.wharf.oci.layout.ImageLayoutStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The served form of each entry: made once, whether a scan's worker prepared it or the index asks
 * for it first; kept while its entry is listed and made again once the entry is read again; and a
 * broken entry fails the index, not the worker.
 */
class IndexedPackagesTest {
    @TempDir
    Path cache;
    private IndexedPackages indexed;

    @BeforeEach
    void setUp() {
        indexed = new IndexedPackages(new BackedOffBlobs(new PackageBlobCache(new ImageLayoutStore(cache.resolve("store")), "packages", cache, 1 << 20,
                ZipCheck.NONE, PackageBlobCache.Refusal.NONE), new BlobBackoff(Clock.systemUTC(), FillListener.NONE),
                new FillHealth(() -> "store/packages", FillListener.NONE)));
    }

    private static CachedPackage entry(String name, String version, Map<String, Object> more) {
        Map<String, Object> fields = new LinkedHashMap<>(Map.of("name", name, "version", version, "format_version", "3.1.2"));
        fields.putAll(more);
        PackageDocument document = Json.mapper().convertValue(fields, PackageDocument.class);
        String hex = Integer.toHexString((name + version).hashCode());
        return new CachedPackage(name + "-" + version, "sha256:" + "1".repeat(64 - hex.length()) + hex, "sha256:" + "2".repeat(64), 10,
                null, 0, document, false);
    }

    private static CachedPackage entry(String name, String version) {
        return entry(name, version, Map.of());
    }

    @Test
    void anEntryPreparedByAWorkerIsServedAsItWasMade() {
        CachedPackage a = entry("acme", "1.0.0", Map.of("conditions", Map.of("kibana", Map.of("version", "^8.15.0"))));
        CachedPackage b = entry("acme", "1.1.0");
        indexed.prepare(a);

        List<IndexedPackage> first = indexed.of(List.of(a, b));
        List<IndexedPackage> again = indexed.of(List.of(a, b));

        assertThat(first).extracting(IndexedPackage::versionText).containsExactly("1.0.0", "1.1.0");
        assertThat(again.get(0)).isSameAs(first.get(0));
        assertThat(again.get(1)).as("made by the first index, kept by the second").isSameAs(first.get(1));
        assertThat(first.get(0).worksWithKibana(Versions.coerced("8.16.0"))).isTrue();
        assertThat(first.get(0).worksWithKibana(Versions.coerced("9.0.0"))).isFalse();
    }

    @Test
    void anEntryNoLongerListedIsLetGoAndAnEntryReadAgainIsMadeAgain() {
        CachedPackage a = entry("acme", "1.0.0");
        CachedPackage b = entry("acme", "1.1.0");
        IndexedPackage madeForB = indexed.of(List.of(a, b)).get(1);

        indexed.of(List.of(a));
        assertThat(indexed.of(List.of(a, b)).get(1)).as("b was dropped in between").isNotSameAs(madeForB);

        CachedPackage bReadAgain = entry("acme", "1.1.0", Map.of("title", "read again"));
        IndexedPackage served = indexed.of(List.of(a, bReadAgain)).get(1);
        assertThat(served.document().title).isEqualTo("read again");
    }

    @Test
    void theNewestDeprecationIsShownOnEveryVersion() {
        CachedPackage old = entry("acme", "1.0.0");
        CachedPackage newest = entry("acme", "2.0.0", Map.of("deprecated", Map.of("since", "2.0.0", "description", "use beta")));
        indexed.prepare(old);
        indexed.prepare(newest);

        List<IndexedPackage> served = indexed.of(List.of(old, newest));

        assertThat(served).allSatisfy(p -> assertThat(p.document().deprecated).isNotNull()
                .extracting(d -> d.description).isEqualTo("use beta"));
    }

    @Test
    void anEntryThatCannotBeMadeFailsTheIndexNotTheWorker() {
        CachedPackage broken = entry("acme", "not-a-version");

        indexed.prepare(broken);

        assertThatThrownBy(() -> indexed.of(List.of(broken))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not-a-version");
    }
}
