package dev.wharf.epr;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.epr.index.IndexReport;
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
import dev.wharf.testing.LogCapture;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tag left out names the manifest it points at in its WARN line, so an operator can tell which push was refused
 * (a tag pushed again by another tool points elsewhere): one the refresh refuses (its layer is no zip) and one the
 * fill refuses (its zip disagrees with its config). Both had named the tag alone. The health page lists the tag and
 * the reason, as before: the digest is for the log, where the push can be looked up.
 */
class RefusalNamesTheManifestTest {
    private static final String REPOSITORY = "edited";

    @TempDir
    Path dir;

    @Test
    void aTagLeftOutIsNamedWithItsManifestDigestInTheLog() throws Exception {
        ImageLayoutStore layout = new ImageLayoutStore(dir.resolve("oci"));
        TestPackages.publishAll(layout, dir.resolve("real"));
        Manifest real = layout.resolve(TestPackages.REPOSITORY, "gallery-2.0.0").orElseThrow();
        Path zip = dir.resolve("gallery-2.0.0.zip");
        try (InputStream in = layout.openBlob(TestPackages.REPOSITORY, OciPackageLayout.zipLayer(real, "gallery-2.0.0").orElseThrow().digest())) {
            Files.copy(in, zip);
        }
        ObjectNode config = (ObjectNode) Json.mapper().readTree(real.config().embedded().orElseThrow());
        ((ObjectNode) config.get("document")).put("description", "Not what the zip says");
        String disagreeing = layout.push(REPOSITORY, "gallery-2.0.0", new Artifact(OciPackageLayout.ARTIFACT_TYPE,
                new ArtifactConfig(PackageIndexConfig.MEDIA_TYPE, Json.mapper().writeValueAsBytes(config)),
                List.of(Layer.file(OciPackageLayout.ZIP_MEDIA_TYPE, "gallery-2.0.0.zip", BlobSource.ofFile(zip))), Map.of()), false)
                .digest().toString();
        Path text = Files.writeString(dir.resolve("text-1.0.0.zip"), "not a zip at all");
        String notAZip = layout.push(REPOSITORY, "text-1.0.0", new Artifact("application/vnd.unknown.artifact.v1",
                List.of(Layer.file(OciPackageLayout.ZIP_MEDIA_TYPE, "text-1.0.0.zip", BlobSource.ofFile(text))), Map.of()), false)
                .digest().toString();

        try (LogCapture log = LogCapture.of("dev.wharf");
                OciIndexer indexer = new OciIndexer(layout, OciIndexerSettings.of(REPOSITORY, dir.resolve("cache")).withRequiredSignatures(false))) {
            indexer.start();
            PersistedFirstIndex.await(indexer);
            assertThat(log.lines(Level.WARN)).filteredOn(l -> l.contains(" left out: ")).hasSize(2)
                    .anySatisfy(l -> assertThat(l).contains("tag text-1.0.0 (manifest " + notAZip + ") of ", "is not a zip file"))
                    .anySatisfy(l -> assertThat(l).contains("tag gallery-2.0.0 (manifest " + disagreeing + ") of ",
                            "the zip disagrees with the package config"));
            assertThat(indexer.report().leftOut()).extracting(IndexReport.LeftOut::what).containsExactlyInAnyOrder("text-1.0.0", "gallery-2.0.0");
        }
    }
}
