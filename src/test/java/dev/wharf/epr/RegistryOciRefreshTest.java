package dev.wharf.epr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.epr.index.IndexHealth;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.epr.oci.PersistedFirstIndex;
import dev.wharf.epr.oci.OciIndexerSettings;
import dev.wharf.epr.publish.PackagePublisher;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart after one push against Debian's docker-registry, counted in the registry's own access
 * log (what the benchmark counts): one tag list, one manifest, one blob, whatever the size of the
 * repository. And an outage still shows, although a refresh that finds nothing new resolves nothing.
 */
class RegistryOciRefreshTest {
    private static final Pattern REQUEST = Pattern.compile("\"(GET|HEAD|PUT|POST|PATCH|DELETE) (/v2/[^ ]*) HTTP");
    private static final Duration VERIFY = Duration.ofHours(24);

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2025-03-01T10:00:00Z"));
    private DockerRegistryServer registry;
    private RegistryArtifactStore publishing;

    @BeforeEach
    void publish() throws Exception {
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        publishing = RegistryStores.anonymous(registry);
        TestPackages.publishAll(publishing, dir);
    }

    @AfterEach
    void stop() {
        publishing.close();
        registry.stop();
    }

    private OciIndexer indexer(CountingArtifactStore store) {
        return new OciIndexer(store, OciIndexerSettings.of(TestPackages.REPOSITORY, dir.resolve("cache"))
                .withMaxPackageBytes(64L << 20).withVerifyInterval(VERIFY).withClock(clock));
    }

    /** The requests docker-registry logged since {@code mark} lines, as "GET /v2/…". */
    private List<String> requestsSince(long mark) throws Exception {
        return Files.readAllLines(dir.resolve("registry/registry.log")).stream().skip(mark).map(REQUEST::matcher)
                .filter(Matcher::find).map(m -> m.group(1) + " " + m.group(2).replaceAll("sha256:[0-9a-f]{64}", "sha256:…")).toList();
    }

    private long logLines() throws Exception {
        return Files.readAllLines(dir.resolve("registry/registry.log")).size();
    }

    @Test
    void aRestartAfterOnePushCostsOneTagListOneManifestAndItsBlob() throws Exception {
        try (RegistryArtifactStore first = RegistryStores.asTheCliOpensIt(registry)) {
            OciIndexer run = indexer(new CountingArtifactStore(first));
            run.start();
            assertThat(run.packages()).hasSize(6);
            PersistedFirstIndex.await(run).close();
        }
        Path folder = dir.resolve("new/legacy_stack/1.0.1");
        TestPackages.copyTree(TestPackages.source().resolve("legacy_stack/1.0.0"), folder);
        Files.writeString(folder.resolve("manifest.yml"),
                Files.readString(folder.resolve("manifest.yml")).replace("version: 1.0.0", "version: 1.0.1"));
        new PackagePublisher(publishing, TestPackages.REPOSITORY, 64L << 20, true).push(folder, w -> { });
        clock.advance(Duration.ofMinutes(3));

        long mark = logLines();
        try (RegistryArtifactStore second = RegistryStores.asTheCliOpensIt(registry)) {
            CountingArtifactStore counted = new CountingArtifactStore(second);
            OciIndexer run = indexer(counted);
            run.start();
            PersistedFirstIndex.await(run);
            assertThat(run.packages()).hasSize(7);
            assertThat(counted.tagLists()).isEqualTo(1);
            assertThat(counted.resolvedReferences()).containsExactly("legacy_stack-1.0.1");
            assertThat(counted.blobs()).isEqualTo(1);
            List<String> requests = requestsSince(mark);
            assertThat(requests).as(String.join("\n", requests)).containsExactly(
                    "GET /v2/",
                    "GET /v2/epr/packages/tags/list",
                    "GET /v2/epr/packages/manifests/legacy_stack-1.0.1",
                    "GET /v2/epr/packages/blobs/sha256:…");

            // Nothing new, registry gone: the tag list fails, the index stays and health says so.
            registry.stop();
            clock.advance(Duration.ofMinutes(1));
            assertThatThrownBy(run::refresh).isInstanceOf(StorageException.class)
                    .satisfies(e -> assertThat(((StorageException) e).isOutage()).isTrue());
            assertThat(run.packages()).hasSize(7);
            assertThat(run.health().state()).isEqualTo(IndexHealth.State.DEGRADED);

            registry.start();
            counted.reset();
            run.refresh();
            assertThat(run.health().state()).isEqualTo(IndexHealth.State.HEALTHY);
            assertThat(counted.tagLists()).isEqualTo(1);
            assertThat(counted.manifests()).isZero();
            run.close();
        }
    }
}
