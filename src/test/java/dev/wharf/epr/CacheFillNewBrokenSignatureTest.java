package dev.wharf.epr;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.wharf.epr.api.FillMetrics;
import dev.wharf.epr.index.IndexReport;
import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.index.RefreshListener;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.epr.oci.OciIndexerSettings;
import dev.wharf.epr.oci.OciPackageLayout;
import dev.wharf.epr.oci.PersistedFirstIndex;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Layer;
import dev.wharf.testing.FaultProxy.Fault;
import dev.wharf.testing.LogCapture;
import dev.wharf.testing.ManualClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new tag read from its zip (no package config) whose signature layer is broken in the registry (its bytes
 * are not its digest's): the refresh backs the signature off by its digest, as it backs off such a tag's
 * zip ({@link CacheFillNewBrokenZipTest}), and fetches the signature before the zip, so that neither is
 * downloaded while it waits. The tag had been left out for that refresh alone ("the registry failed for this
 * tag alone"), its zip and signature downloaded whole again at every refresh, warned of every time and
 * counted nowhere.
 */
class CacheFillNewBrokenSignatureTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String TAG = "legacy_stack-1.0.1";

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(T0);
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private PackagesBehindAFaultProxy packages;
    private OciIndexer indexer;

    @BeforeEach
    void publish() throws Exception {
        packages = PackagesBehindAFaultProxy.publish(dir);
        pushWithASignature();
        indexer = new OciIndexer(packages.store, OciIndexerSettings.of(TestPackages.REPOSITORY, dir.resolve("cache")).withMaxPackageBytes(64L << 20)
                .withClock(clock).withVerifyInterval(Duration.ofDays(1)), RefreshListener.NONE, new FillMetrics(metrics));
    }

    @AfterEach
    void stop() {
        indexer.close();
        packages.close();
    }

    @Test
    void itsBrokenSignatureIsBackedOffByItsDigestAndCountedAndTheZipIsNotDownloadedWhileItWaits() throws Exception {
        String zip = packages.zipDigest(TAG);
        String sig = packages.direct.resolve(TestPackages.REPOSITORY, TAG).orElseThrow().layer(OciPackageLayout.SIGNATURE_MEDIA_TYPE)
                .orElseThrow().digest().toString();
        packages.proxy.inject(Fault.WRONG_BYTES, r -> r.isBlobRead() && r.path().endsWith("/" + sig));
        try (LogCapture log = LogCapture.of("dev.wharf")) {
            indexer.start();
            PersistedFirstIndex.await(indexer);
            assertThat(indexer.packages()).extracting(IndexedPackage::key).doesNotContain(TAG);
            assertThat(packages.fetches(sig)).as("read once by the first index").isEqualTo(1);
            assertThat(packages.fetches(zip)).as("the zip is not downloaded while its signature fails").isZero();

            refreshAfter(Duration.ZERO);
            assertThat(packages.fetches(sig)).as("not due before 10 s").isEqualTo(1);
            assertThat(packages.fetches(zip)).isZero();
            assertThat(indexer.report().leftOut()).filteredOn(l -> l.what().equals(TAG)).singleElement().asString()
                    .contains("its signature is broken in the registry");
            assertThat(metric("wharf_package_fill_failures_total\\{kind=\"blob_corrupt\"}")).isEqualTo(1.0);
            assertThat(metric("wharf_package_fill_skipped_blobs")).isEqualTo(1.0);
            refreshAfter(Duration.ofSeconds(10));
            assertThat(packages.fetches(sig)).as("due after 10 s").isEqualTo(2);
            assertThat(metric("wharf_package_fill_failures_total\\{kind=\"blob_corrupt\"}")).isEqualTo(2.0);
            refreshAfter(Duration.ofSeconds(10));
            assertThat(packages.fetches(sig)).as("then not due before 20 s").isEqualTo(2);
            assertThat(log.lines(Level.WARN)).filteredOn(l -> l.contains("tag " + TAG + " ")).as("told once").singleElement().asString()
                    .contains(sig, "does not match its digest");

            packages.proxy.heal();
            refreshAfter(Duration.ofSeconds(10));
            assertThat(packages.fetches(sig)).isEqualTo(3);
            assertThat(packages.fetches(zip)).isEqualTo(1);
            assertThat(indexer.packages()).extracting(IndexedPackage::key).contains(TAG);
            assertThat(indexer.report().leftOut()).extracting(IndexReport.LeftOut::what).doesNotContain(TAG);
            assertThat(metric("wharf_package_fill_skipped_blobs")).as("none waits").isZero();
        }
    }

    /** legacy_stack 1.0.0's files as {@link #TAG}, pushed as {@code oras push} pushes a zip and its {@code .sig}: no package config. */
    private void pushWithASignature() throws Exception {
        Path folder = dir.resolve("raw/legacy_stack/1.0.1");
        TestPackages.copyTree(TestPackages.source().resolve("legacy_stack/1.0.0"), folder);
        Path manifest = folder.resolve("manifest.yml");
        Files.writeString(manifest, Files.readString(manifest).replace("version: 1.0.0", "version: 1.0.1"));
        Path zip = dir.resolve(TAG + ".zip");
        TestPackages.zipFolder(folder, TAG, zip);
        // The index does not verify signatures (Fleet does): any armoured-looking text serves.
        Path sig = dir.resolve(TAG + ".zip.sig");
        Files.writeString(sig, "-----BEGIN PGP SIGNATURE-----\n\nnot checked here\n-----END PGP SIGNATURE-----\n");
        packages.direct.push(TestPackages.REPOSITORY, TAG, new Artifact("application/vnd.unknown.artifact.v1", List.of(
                Layer.file(OciPackageLayout.ZIP_MEDIA_TYPE, zip.getFileName().toString(), BlobSource.ofFile(zip)),
                Layer.file(OciPackageLayout.SIGNATURE_MEDIA_TYPE, sig.getFileName().toString(), BlobSource.ofFile(sig))), Map.of()), false);
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
