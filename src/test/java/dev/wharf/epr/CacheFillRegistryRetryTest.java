package dev.wharf.epr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.epr.index.IndexHealth;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.epr.oci.OciIndexerSettings;
import dev.wharf.epr.oci.PersistedFirstIndex;
import dev.wharf.testing.FaultProxy;
import dev.wharf.testing.FaultProxy.Fault;
import dev.wharf.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fill behind the index when the registry fails as a whole: the round stops, and the fill tries
 * again on its own 10 s later, with no refresh to start it. The fill's timer is the test's, moved with
 * the clock, so the test sees that retry without waiting 10 s; it had run on real time alone, which a
 * test could only wait for.
 */
class CacheFillRegistryRetryTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(T0);
    private final ManualFillTimer timer = new ManualFillTimer(clock);
    private PackagesBehindAFaultProxy packages;
    private FaultProxy proxy;
    private OciIndexer indexer;

    @BeforeEach
    void publish() throws Exception {
        packages = PackagesBehindAFaultProxy.publish(dir);
        proxy = packages.proxy;
        indexer = new OciIndexer(packages.store, OciIndexerSettings.of(TestPackages.REPOSITORY, dir.resolve("cache"))
                .withMaxPackageBytes(64L << 20).withClock(clock).withFillTimer(timer));
    }

    @AfterEach
    void stop() {
        indexer.close();
        packages.close();
    }

    @Test
    void aRoundTheRegistryStoppedRunsAgainOnItsOwnTenSecondsLaterOnceTheRegistryIsBack() throws Exception {
        // Not the zip of the package pushed without a config: the index itself reads that one.
        String readByTheIndex = packages.zipDigest("broken_pkg-1.0.0");
        proxy.inject(Fault.STATUS_500, r -> r.isBlobRead() && !r.path().endsWith("/" + readByTheIndex));
        indexer.start();
        PersistedFirstIndex.await(indexer);
        List<String> zips = zipsFromConfigs();
        assertThat(zips).hasSizeGreaterThan(2).noneMatch(this::kept);
        assertThat(indexer.health().state()).isEqualTo(IndexHealth.State.DEGRADED);
        assertThat(indexer.health().error()).get().asString().contains("cannot fetch the blobs of");
        assertThat(timer.nextRound()).as("a round asked for 10 s on").hasValue(Duration.ofSeconds(10));

        proxy.heal();
        long reads = blobReads();
        timer.advance(Duration.ofMillis(9_999));
        PersistedFirstIndex.await(indexer);
        assertThat(blobReads()).as("not before 10 s").isEqualTo(reads);

        timer.advance(Duration.ofMillis(1));
        PersistedFirstIndex.await(indexer);
        assertThat(zips).as("fetched by the retry, no refresh asked").allMatch(this::kept);
        assertThat(indexer.health().state()).isEqualTo(IndexHealth.State.HEALTHY);
        assertThat(timer.nextRound()).as("nothing left to try again").isEmpty();
    }

    private long blobReads() {
        return proxy.requests().stream().filter(r -> r.isBlobRead()).count();
    }

    /** The zip digests of the packages the index lists from their configs, as index.json has them. */
    private List<String> zipsFromConfigs() throws Exception {
        List<String> zips = new ArrayList<>();
        for (JsonNode p : Json.mapper().readTree(dir.resolve("cache/index.json").toFile()).get("packages")) {
            if (p.get("from_config").asBoolean()) {
                zips.add(p.get("zip_digest").asText());
            }
        }
        return zips;
    }

    private boolean kept(String digest) {
        return Files.isRegularFile(dir.resolve("cache/blobs").resolve(digest.replace(':', '-') + ".zip"));
    }
}
