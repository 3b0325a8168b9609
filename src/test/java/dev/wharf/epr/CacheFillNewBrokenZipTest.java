package dev.wharf.epr;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.wharf.epr.api.FillMetrics;
import dev.wharf.epr.index.IndexReport;
import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.index.RefreshListener;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.epr.oci.OciIndexerSettings;
import dev.wharf.epr.oci.PersistedFirstIndex;
import dev.wharf.testing.FaultProxy;
import dev.wharf.testing.FaultProxy.Fault;
import dev.wharf.testing.LogCapture;
import dev.wharf.testing.ManualClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new tag read from its zip (a plain oras push, no package config) whose zip is broken in the registry
 * (its bytes are not its digest's): the refresh that would read it backs it off by the zip's digest, as
 * the fill backs off a listed package's blob (10 s, doubling up to 10 min), counts it in
 * {@code wharf_package_fill_failures_total} and shows it in {@code wharf_package_fill_skipped_blobs}. It
 * had been downloaded whole again at every refresh, counted nowhere.
 */
class CacheFillNewBrokenZipTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String TAG = "legacy_stack-1.0.1";

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(T0);
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private PackagesBehindAFaultProxy packages;
    private FaultProxy proxy;
    private OciIndexer indexer;

    @BeforeEach
    void publish() throws Exception {
        packages = PackagesBehindAFaultProxy.publish(dir);
        TestPackages.pushLegacyStackAsABareZip(packages.direct, dir, "1.0.1");
        proxy = packages.proxy;
        indexer = new OciIndexer(packages.store, OciIndexerSettings.of(TestPackages.REPOSITORY, dir.resolve("cache")).withMaxPackageBytes(64L << 20)
                .withClock(clock).withVerifyInterval(Duration.ofDays(1)), RefreshListener.NONE, new FillMetrics(metrics));
    }

    @AfterEach
    void stop() {
        indexer.close();
        packages.close();
    }

    @Test
    void itsBrokenZipIsBackedOffByItsDigestAndCountedInsteadOfDownloadedAtEveryRefresh() throws Exception {
        String digest = packages.zipDigest(TAG);
        proxy.inject(Fault.WRONG_BYTES, r -> r.isBlobRead() && r.path().endsWith("/" + digest));
        try (LogCapture log = LogCapture.of("dev.wharf")) {
            indexer.start();
            PersistedFirstIndex.await(indexer);
            assertThat(indexer.packages()).extracting(IndexedPackage::key).doesNotContain(TAG);
            assertThat(packages.fetches(digest)).as("read once by the first index").isEqualTo(1);

            refreshAfter(Duration.ZERO);
            assertThat(packages.fetches(digest)).as("not due before 10 s").isEqualTo(1);
            assertThat(indexer.report().leftOut()).filteredOn(l -> l.what().equals(TAG)).singleElement().asString()
                    .contains("its zip is broken in the registry");
            assertThat(metric("wharf_package_fill_failures_total\\{kind=\"blob_corrupt\"}")).isEqualTo(1.0);
            assertThat(metric("wharf_package_fill_skipped_blobs")).isEqualTo(1.0);
            refreshAfter(Duration.ofSeconds(10));
            assertThat(packages.fetches(digest)).as("due after 10 s").isEqualTo(2);
            assertThat(metric("wharf_package_fill_failures_total\\{kind=\"blob_corrupt\"}")).isEqualTo(2.0);
            refreshAfter(Duration.ofSeconds(10));
            assertThat(packages.fetches(digest)).as("then not due before 20 s").isEqualTo(2);
            assertThat(log.lines(Level.WARN)).filteredOn(l -> l.contains("tag " + TAG + " ")).as("told once").singleElement().asString()
                    .contains("does not match its digest");

            proxy.heal();
            refreshAfter(Duration.ofSeconds(10));
            assertThat(packages.fetches(digest)).isEqualTo(3);
            assertThat(indexer.packages()).extracting(IndexedPackage::key).contains(TAG);
            assertThat(indexer.report().leftOut()).extracting(IndexReport.LeftOut::what).doesNotContain(TAG);
            assertThat(metric("wharf_package_fill_skipped_blobs")).as("none waits").isZero();
        }
    }

    private void refreshAfter(Duration by) throws Exception {
        clock.advance(by);
        indexer.refresh();
        PersistedFirstIndex.await(indexer);
    }

    /** A series' value in a scrape, as Prometheus reads it; fails when the series is not there. */
    private double metric(String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)$").matcher(metrics.scrape());
        assertThat(m.find()).as(series + " in:\n" + metrics.scrape()).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
