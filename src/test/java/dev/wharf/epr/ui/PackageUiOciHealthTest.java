package dev.wharf.epr.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.RegistryStores;
import dev.wharf.epr.TestPackages;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.epr.oci.OciIndexerSettings;
import dev.wharf.epr.oci.OciPackageLayout;
import dev.wharf.http.WebServer;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The health page over the OCI indexer reading Debian's docker-registry: the last refresh and the
 * last full verification move apart between verifications, and the tags left out are listed with
 * the indexer's reasons after every refresh, not only the one that first found them.
 */
class PackageUiOciHealthTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void theHealthPageNamesTheTagsLeftOutAndWhenTheRepositoryWasLastVerifiedInFull() throws Exception {
        ManualClock clock = new ManualClock(T0);
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
                RegistryArtifactStore store = RegistryStores.anonymous(registry)) {
            TestPackages.publishAll(store, dir);
            Path stray = Files.writeString(dir.resolve("notes.zip"), "not a zip");
            TestPackages.pushRaw(store, "latest", OciPackageLayout.ZIP_MEDIA_TYPE, stray);
            OciIndexer indexer = new OciIndexer(store, OciIndexerSettings.of(TestPackages.REPOSITORY, dir.resolve("cache"))
                    .withMaxPackageBytes(64L << 20).withVerifyInterval(Duration.ofHours(1)).withClock(clock));
            indexer.start();
            try (indexer; WebServer server = UiPackages.serveOver(indexer, Optional.empty(), Optional.empty(), clock)) {
                String first = ServedPackageUi.get(server.localUri(), "/ui/health", null).body();
                assertThat(first).contains("<dt>Source</dt><dd>oci</dd>", "<dt>Packages</dt><dd>6</dd>",
                        "<dt>Last refresh</dt><dd>2026-03-01T10:00:00Z (0 s ago)</dd>",
                        "<dt>Last full verification</dt><dd>2026-03-01T10:00:00Z (0 s ago)</dd>", "2 left out by the last refresh",
                        "<td>broken_pkg-1.0.0</td><td>no readme file found, README.md is required</td>",
                        "<td>latest</td><td>not {name}-{version}</td>")
                        .doesNotContain(registry.host());

                clock.advance(Duration.ofMinutes(10));
                indexer.refresh();
                String between = ServedPackageUi.get(server.localUri(), "/ui/health", null).body();
                assertThat(between).contains("<dt>Last refresh</dt><dd>2026-03-01T10:10:00Z (0 s ago)</dd>",
                        "<dt>Last full verification</dt><dd>2026-03-01T10:00:00Z (10 min ago)</dd>", "2 left out by the last refresh",
                        "<td>broken_pkg-1.0.0</td>", "<td>latest</td>");

                clock.advance(Duration.ofHours(1));
                indexer.refresh();
                assertThat(ServedPackageUi.get(server.localUri(), "/ui/health", null).body())
                        .contains("<dt>Last full verification</dt><dd>2026-03-01T11:10:00Z (0 s ago)</dd>");
            } finally {
                indexer.close();
            }
        }
    }
}
