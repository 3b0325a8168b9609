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
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.layout.ImageLayoutStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
        for (String other : List.of("registry", "blob_corrupt", "blob_missing")) {
            assertThat(failures(other)).as(other).isZero();
        }

        indexer.refresh();
        PersistedFirstIndex.await(indexer);
        assertThat(failures("zip_disagrees_with_config")).as("remembered: not fetched nor counted again").isEqualTo(1.0);
    }

    /** The counter's value for {@code kind} in a scrape, as Prometheus reads it; fails when the series is not there. */
    private double failures(String kind) {
        Matcher m = Pattern.compile("(?m)^wharf_package_fill_failures_total\\{kind=\"" + kind + "\"} (\\S+)$").matcher(metrics.scrape());
        assertThat(m.find()).as("a series for kind " + kind + " in:\n" + metrics.scrape()).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
