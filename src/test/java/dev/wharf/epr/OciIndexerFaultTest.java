package dev.wharf.epr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.wharf.epr.index.IndexHealth;
import dev.wharf.epr.index.IndexReport;
import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.epr.oci.OciIndexerSettings;
import dev.wharf.epr.oci.PersistedFirstIndex;
import dev.wharf.epr.pkg.InvalidPackageException;
import dev.wharf.epr.publish.PackagePublisher;
import dev.wharf.oci.layout.ImageLayoutStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad artifacts in the repository: each is left out, the others are served. */
class OciIndexerFaultTest {
    @TempDir
    Path dir;

    /** Every indexer a test made: closed after it, so no first index is still being persisted when its folder goes. */
    private final List<OciIndexer> made = new ArrayList<>();

    private OciIndexer indexer(ImageLayoutStore store, Path cache) {
        OciIndexer indexer = new OciIndexer(store, OciIndexerSettings.of(TestPackages.REPOSITORY, cache).withMaxPackageBytes(64L << 20));
        made.add(indexer);
        return indexer;
    }

    /**
     * Starts {@code indexer} and waits until its first index is written and the cache pruned: both
     * happen behind {@link OciIndexer#start}, so a test that walks the cache right after could see a
     * file vanish under it.
     */
    private static void startAndAwaitPersisted(OciIndexer indexer) throws Exception {
        indexer.start();
        PersistedFirstIndex.await(indexer);
    }

    @AfterEach
    void closeIndexers() {
        made.forEach(OciIndexer::close);
    }

    @Test
    void leavesOutBadArtifactsAndServesTheRest() throws Exception {
        ImageLayoutStore store = new ImageLayoutStore(dir.resolve("oci"));
        TestPackages.publishAll(store, dir);

        Path text = Files.writeString(dir.resolve("notes.txt"), "not a zip at all");
        TestPackages.pushRaw(store, "notzip-1.0.0", "application/vnd.oci.image.layer.v1.tar", text);

        Path renamed = dir.resolve("other-1.0.0.zip");
        TestPackages.zipFolder(TestPackages.source().resolve("legacy_stack/1.0.0"), "legacy_stack-1.0.0", renamed);
        TestPackages.pushRaw(store, "other-1.0.0", "application/zip", renamed);

        Path evil = dir.resolve("evil-1.0.0.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(evil))) {
            zip.putNextEntry(new ZipEntry("evil-1.0.0/manifest.yml"));
            zip.write("name: evil\nversion: 1.0.0\n".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("evil-1.0.0/../../etc/cron.d/evil"));
            zip.write("* * * * * root true\n".getBytes(StandardCharsets.UTF_8));
        }
        TestPackages.pushRaw(store, "evil-1.0.0", "application/zip", evil);

        // Plain `oras push repo:gallery_copy-2.0.0 gallery_copy-2.0.0.zip` gives oras' default layer type.
        Path orasZip = dir.resolve("oras/sensor_input-0.3.0.zip");
        TestPackages.zipFolder(TestPackages.source().resolve("sensor_input/0.3.0"), "sensor_input-0.3.0", orasZip);
        store.delete(TestPackages.REPOSITORY, "sensor_input-0.3.0");
        TestPackages.pushRaw(store, "sensor_input-0.3.0", "application/vnd.oci.image.layer.v1.tar", orasZip);

        OciIndexer indexer = indexer(store, dir.resolve("cache"));
        startAndAwaitPersisted(indexer);
        assertThat(indexer.packages()).extracting(IndexedPackage::key).containsExactlyInAnyOrder(
                "acme_logs-1.0.0", "acme_logs-1.1.0", "acme_logs-1.2.0-beta1", "gallery-2.0.0", "legacy_stack-1.0.0",
                "sensor_input-0.3.0");
        assertThat(indexer.health().state()).isEqualTo(IndexHealth.State.HEALTHY);
        // The evil entry climbs two levels out of whatever folder it would be unpacked into: nothing by its
        // name may appear anywhere under the test's folder (which holds the cache), and the blob folder
        // holds nothing but blobs named by their digests.
        try (var all = Files.walk(dir)) {
            assertThat(all.filter(p -> p.getFileName().toString().equals("evil") || p.getFileName().toString().equals("cron.d")))
                    .isEmpty();
        }
        try (var blobs = Files.list(dir.resolve("cache/blobs"))) {
            assertThat(blobs.map(p -> p.getFileName().toString())).isNotEmpty().allMatch(n -> n.matches("sha256-[0-9a-f]{64}\\.zip"));
        }
    }

    @Test
    void aLayerThatDoesNotStartLikeAZipIsLeftOutWithTheReasonAndNotKept() throws Exception {
        ImageLayoutStore store = new ImageLayoutStore(dir.resolve("oci"));
        TestPackages.pushRaw(store, "empty-1.0.0", "application/zip", Files.write(dir.resolve("empty.zip"), new byte[0]));
        TestPackages.pushRaw(store, "short-1.0.0", "application/zip", Files.write(dir.resolve("short.zip"), new byte[] {'P', 'K', 3}));
        TestPackages.pushRaw(store, "spanned-1.0.0", "application/zip", Files.write(dir.resolve("spanned.zip"),
                new byte[] {'P', 'K', 7, 8, 'P', 'K', 3, 4}));
        TestPackages.pushRaw(store, "text-1.0.0", "application/zip", Files.writeString(dir.resolve("text.zip"), "not a zip at all"));
        Path renamed = dir.resolve("other-1.0.0.zip");
        TestPackages.zipFolder(TestPackages.source().resolve("legacy_stack/1.0.0"), "legacy_stack-1.0.0", renamed);
        TestPackages.pushRaw(store, "legacy_stack-1.0.0", "application/zip", renamed);

        OciIndexer indexer = indexer(store, dir.resolve("cache"));
        startAndAwaitPersisted(indexer);
        assertThat(indexer.packages()).extracting(IndexedPackage::key).containsExactly("legacy_stack-1.0.0");
        assertThat(indexer.report().leftOut()).extracting(IndexReport.LeftOut::what, IndexReport.LeftOut::reason).containsExactly(
                tuple("empty-1.0.0", "the artifact's layer (application/zip) is not a zip file"),
                tuple("short-1.0.0", "the artifact's layer (application/zip) is not a zip file"),
                tuple("spanned-1.0.0", "the artifact's layer (application/zip) is not a zip file"),
                tuple("text-1.0.0", "the artifact's layer (application/zip) is not a zip file"));
        try (var blobs = Files.list(dir.resolve("cache/blobs"))) {
            assertThat(blobs).hasSize(1);
        }
    }

    @Test
    void restartUsesTheCacheAndDownloadsOnlyWhatChanged() throws Exception {
        ImageLayoutStore store = new ImageLayoutStore(dir.resolve("oci"));
        TestPackages.publishAll(store, dir);
        Path cache = dir.resolve("cache");
        OciIndexer first = indexer(store, cache);
        first.start();
        PersistedFirstIndex.await(first).close();
        Path blobs = cache.resolve("blobs");
        long before = Files.list(blobs).count();
        assertThat(before).isEqualTo(6);
        java.nio.file.attribute.FileTime stamp = java.nio.file.attribute.FileTime.fromMillis(0);
        for (Path p : Files.list(blobs).toList()) {
            Files.setLastModifiedTime(p, stamp);
        }
        // A new version arrives while Wharf is down; on restart only its zip is fetched.
        Path newer = dir.resolve("legacy2");
        TestPackages.copyTree(TestPackages.source().resolve("legacy_stack/1.0.0"), newer.resolve("legacy_stack/1.0.1"));
        Path manifest = newer.resolve("legacy_stack/1.0.1/manifest.yml");
        Files.writeString(manifest, Files.readString(manifest).replace("version: 1.0.0", "version: 1.0.1"));
        new PackagePublisher(store, TestPackages.REPOSITORY, 64L << 20, true).push(newer.resolve("legacy_stack/1.0.1"), w -> { });

        OciIndexer second = indexer(store, cache);
        startAndAwaitPersisted(second);
        assertThat(second.packages()).hasSize(7);
        assertThat(Files.list(blobs).filter(p -> {
            try {
                return !Files.getLastModifiedTime(p).equals(stamp);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).count()).isEqualTo(1);
        second.close();
    }

    @Test
    void servesThePersistedIndexWhenTheStoreIsGoneAtStart() throws Exception {
        ImageLayoutStore store = new ImageLayoutStore(dir.resolve("oci"));
        TestPackages.publishAll(store, dir);
        Path cache = dir.resolve("cache");
        OciIndexer first = indexer(store, cache);
        first.start();
        PersistedFirstIndex.await(first).close();

        // An unreadable layout root stands in for an unreachable registry at start.
        TestPackages.deleteTree(dir.resolve("oci"));
        Files.writeString(dir.resolve("oci"), "not a directory");
        OciIndexer second = indexer(new ImageLayoutStore(dir.resolve("oci")), cache);
        second.start();
        assertThat(second.packages()).hasSize(6);
        assertThat(second.health().state()).isEqualTo(IndexHealth.State.DEGRADED);
        assertThat(second.health().error()).isPresent();
        assertThat(second.health().indexedAt()).isPresent();

        OciIndexer withoutCache = indexer(new ImageLayoutStore(dir.resolve("oci")), dir.resolve("empty-cache"));
        assertThatThrownBy(withoutCache::start).hasMessageContaining("no index is persisted");
    }

    @Test
    void pushRefusesAnExistingVersionAndBadPackages() throws Exception {
        ImageLayoutStore store = new ImageLayoutStore(dir.resolve("oci"));
        PackagePublisher publisher = new PackagePublisher(store, TestPackages.REPOSITORY, 64L << 20, true);
        Path src = dir.resolve("src");
        TestPackages.copyTree(TestPackages.source(), src);
        publisher.push(src.resolve("gallery/2.0.0"), w -> { });
        assertThatThrownBy(() -> publisher.push(src.resolve("gallery/2.0.0"), w -> { }))
                .isInstanceOf(InvalidPackageException.class).hasMessageContaining("already published");
        assertThatThrownBy(() -> publisher.push(src.resolve("broken_pkg/1.0.0"), w -> { }))
                .isInstanceOf(InvalidPackageException.class).hasMessageContaining("README.md is required");
        Path wrongRoot = dir.resolve("wrong.zip");
        TestPackages.zipFolder(src.resolve("legacy_stack/1.0.0"), "legacy_stack-9.9.9", wrongRoot);
        assertThatThrownBy(() -> publisher.push(wrongRoot, w -> { }))
                .isInstanceOf(InvalidPackageException.class).hasMessageContaining("root folder is legacy_stack-9.9.9");
        PackagePublisher tiny = new PackagePublisher(store, TestPackages.REPOSITORY, 100, true);
        Path ok = dir.resolve("legacy_stack-1.0.0.zip");
        TestPackages.zipFolder(src.resolve("legacy_stack/1.0.0"), "legacy_stack-1.0.0", ok);
        assertThatThrownBy(() -> tiny.push(ok, w -> { })).hasMessageContaining("more than the limit");
        assertThat(store.listTags(TestPackages.REPOSITORY)).containsExactly("gallery-2.0.0");
    }
}
