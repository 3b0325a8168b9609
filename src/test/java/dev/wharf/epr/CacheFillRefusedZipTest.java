package dev.wharf.epr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.epr.api.FillMetrics;
import dev.wharf.epr.index.RefreshListener;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.epr.oci.OciIndexerSettings;
import dev.wharf.epr.oci.OciPackageLayout;
import dev.wharf.epr.oci.PackageIndexConfig;
import dev.wharf.epr.oci.PersistedFirstIndex;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.ArtifactConfig;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.layout.ImageLayoutStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fill behind the index meets a zip that fails its check against the config pushed with it: the
 * package is left out, and {@code wharf_package_fill_failures_total} counts it under a kind of its own,
 * once. It had counted nothing, so an operator watching with Prometheus saw no failure of the fill
 * while a package vanished from the index.
 */
class CacheFillRefusedZipTest {
    @TempDir
    Path dir;

    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private OciIndexer indexer;

    @AfterEach
    void close() {
        if (indexer != null) {
            indexer.close();
        }
    }

    @Test
    void aZipThatDisagreesWithItsConfigIsCountedUnderAKindThatSaysSoOnce() throws Exception {
        ImageLayoutStore layout = new ImageLayoutStore(dir.resolve("oci"));
        TestPackages.publishAll(layout, dir.resolve("real"));
        Manifest real = layout.resolve(TestPackages.REPOSITORY, "gallery-2.0.0").orElseThrow();
        Path zip = dir.resolve("gallery-2.0.0.zip");
        try (InputStream in = layout.openBlob(TestPackages.REPOSITORY, OciPackageLayout.zipLayer(real, "gallery-2.0.0").orElseThrow().digest())) {
            Files.copy(in, zip);
        }
        // The real zip under a config that gives the package another description: another tool's, or one edited by hand.
        ObjectNode config = (ObjectNode) Json.mapper().readTree(real.config().embedded().orElseThrow());
        ((ObjectNode) config.get("document")).put("description", "Not what the zip says");
        layout.push("edited", "gallery-2.0.0", new Artifact(OciPackageLayout.ARTIFACT_TYPE,
                new ArtifactConfig(PackageIndexConfig.MEDIA_TYPE, Json.mapper().writeValueAsBytes(config)),
                List.of(Layer.file(OciPackageLayout.ZIP_MEDIA_TYPE, "gallery-2.0.0.zip", BlobSource.ofFile(zip))), Map.of()), false);

        indexer = new OciIndexer(layout, OciIndexerSettings.of("edited", dir.resolve("cache")).withRequiredSignatures(false),
                RefreshListener.NONE, new FillMetrics(metrics));
        assertThat(failures("zip_disagrees_with_config")).as("there at 0 from the start").isZero();
        indexer.start();
        PersistedFirstIndex.await(indexer);
        assertThat(indexer.packages()).as("left out").isEmpty();
        assertThat(failures("zip_disagrees_with_config")).isEqualTo(1.0);
        for (String other : List.of("registry", "blob_corrupt", "blob_missing", "blob_too_large")) {
            assertThat(failures(other)).as(other).isZero();
        }

        indexer.refresh();
        PersistedFirstIndex.await(indexer);
        assertThat(failures("zip_disagrees_with_config")).as("remembered: not fetched nor counted again").isEqualTo(1.0);
    }

    /**
     * A package read from its zip (a plain oras push), indexed under a higher {@code -max-package-size}, whose
     * zip the cache lost: the fill's download passes the lower limit of this run, and the package is left
     * out as a listed one's would be, counted under a kind of its own, once. It had counted nothing, where a
     * package listed from its config counted (as a zip disagreeing with its config). An index of format 1
     * reuses its packages by manifest digest whatever the limits; one of this format is read again at once.
     */
    @Test
    void aPackageReadFromItsZipThatPassesALoweredSizeLimitIsCountedUnderAKindThatSaysSoOnce() throws Exception {
        ImageLayoutStore layout = new ImageLayoutStore(dir.resolve("oci"));
        TestPackages.pushLegacyStackAsABareZip(layout, dir, "1.0.1");
        Path cache = dir.resolve("cache");
        OciIndexer before = new OciIndexer(layout, OciIndexerSettings.of(TestPackages.REPOSITORY, cache).withRequiredSignatures(false));
        before.start();
        PersistedFirstIndex.await(before);
        before.close();
        ObjectNode persisted = (ObjectNode) Json.mapper().readTree(cache.resolve("index.json").toFile());
        persisted.put("format", 1);
        Files.write(cache.resolve("index.json"), Json.mapper().writeValueAsBytes(persisted));
        Descriptor zip = layout.resolve(TestPackages.REPOSITORY, "legacy_stack-1.0.1").orElseThrow().layer(OciPackageLayout.ZIP_MEDIA_TYPE)
                .orElseThrow();
        Files.delete(cache.resolve("blobs/" + zip.digest().algorithm() + "-" + zip.digest().hex() + ".zip"));

        indexer = new OciIndexer(layout, OciIndexerSettings.of(TestPackages.REPOSITORY, cache).withRequiredSignatures(false)
                .withMaxPackageBytes(zip.size() - 1), RefreshListener.NONE, new FillMetrics(metrics));
        indexer.start();
        PersistedFirstIndex.await(indexer);
        assertThat(indexer.packages()).as("left out").isEmpty();
        assertThat(indexer.report().leftOut()).singleElement().asString().contains("legacy_stack-1.0.1", "larger than the limit");
        assertThat(allFailures()).as("counted once, under some kind").isEqualTo(1.0);
        assertThat(failures("blob_too_large")).isEqualTo(1.0);

        indexer.refresh();
        PersistedFirstIndex.await(indexer);
        assertThat(allFailures()).as("remembered: not fetched nor counted again").isEqualTo(1.0);
    }

    /**
     * New tags read from their zips, refused by a refresh for their size: one whose manifest gives a zip larger than
     * {@code -max-package-size}, one whose signature layer is downloaded past it. Each is counted under
     * {@code blob_too_large} once, as a listed package refused for its size is; neither a later refresh nor a full
     * verification (which finds the tags at the same manifests) counts it again. They had been left out uncounted.
     */
    @Test
    void newTagsARefreshRefusesForTheirSizeAreCountedUnderBlobTooLargeOnce() throws Exception {
        ImageLayoutStore layout = new ImageLayoutStore(dir.resolve("oci"));
        Path small = dir.resolve("legacy_stack-1.0.0.zip");
        TestPackages.zipFolder(TestPackages.source().resolve("legacy_stack/1.0.0"), "legacy_stack-1.0.0", small);
        long limit = Files.size(small) + 10;
        Path sig = dir.resolve("legacy_stack-1.0.0.zip.sig");
        Files.write(sig, new byte[(int) limit + 1]);
        layout.push(TestPackages.REPOSITORY, "legacy_stack-1.0.0", new Artifact("application/vnd.unknown.artifact.v1", List.of(
                Layer.file(OciPackageLayout.ZIP_MEDIA_TYPE, small.getFileName().toString(), BlobSource.ofFile(small)),
                Layer.file(OciPackageLayout.SIGNATURE_MEDIA_TYPE, sig.getFileName().toString(), BlobSource.ofFile(sig))), Map.of()), false);
        Path large = dir.resolve("acme_logs-1.0.0.zip");
        TestPackages.zipFolder(TestPackages.source().resolve("acme_logs/1.0.0"), "acme_logs-1.0.0", large);
        assertThat(Files.size(large)).as("a zip past the limit").isGreaterThan(limit);
        TestPackages.pushRaw(layout, "acme_logs-1.0.0", OciPackageLayout.ZIP_MEDIA_TYPE, large);

        indexer = new OciIndexer(layout, OciIndexerSettings.of(TestPackages.REPOSITORY, dir.resolve("cache")).withRequiredSignatures(false)
                .withMaxPackageBytes(limit).withVerifyInterval(Duration.ZERO), RefreshListener.NONE, new FillMetrics(metrics));
        indexer.start();
        PersistedFirstIndex.await(indexer);
        assertThat(indexer.report().leftOut()).extracting(l -> l.what() + ": " + l.reason()).containsExactly(
                "acme_logs-1.0.0: the package zip is " + Files.size(large) + " bytes, more than the limit of " + limit,
                "legacy_stack-1.0.0: the artifact's layer (application/pgp-signature) is larger than the limit of " + limit + " bytes");
        assertThat(failures("blob_too_large")).isEqualTo(2.0);
        assertThat(allFailures()).isEqualTo(2.0);

        indexer.refresh();
        PersistedFirstIndex.await(indexer);
        assertThat(allFailures()).as("a verification reminds of them, counts them not again").isEqualTo(2.0);
    }

    /** The sum of the counter over every kind in a scrape. */
    private double allFailures() {
        Matcher m = Pattern.compile("(?m)^wharf_package_fill_failures_total\\{kind=\"[a-z_]+\"} (\\S+)$").matcher(metrics.scrape());
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    /** The counter's value for {@code kind} in a scrape, as Prometheus reads it; fails when the series is not there. */
    private double failures(String kind) {
        Matcher m = Pattern.compile("(?m)^wharf_package_fill_failures_total\\{kind=\"" + kind + "\"} (\\S+)$").matcher(metrics.scrape());
        assertThat(m.find()).as("a series for kind " + kind + " in:\n" + metrics.scrape()).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
