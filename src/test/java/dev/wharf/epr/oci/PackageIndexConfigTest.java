package dev.wharf.epr.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.epr.TestPackages;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.pkg.DirectoryPackageFiles;
import dev.wharf.epr.pkg.PackageReader;
import java.io.InputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Guards {@link PackageIndexConfig#READER}: configs pushed by one Wharf are trusted by every later
 * one with the same number, so what the reader makes of the test packages is kept here, per number.
 * When this fails, the reader now makes other documents of the same zips: raise READER and add the
 * new golden file, so that configs written before are read from their zips again.
 */
class PackageIndexConfigTest {
    @Test
    void theReaderStillMakesTheDocumentsItsNumberStandsFor() throws Exception {
        ObjectNode made = Json.mapper().createObjectNode();
        for (Path folder : TestPackages.folders(TestPackages.source())) {
            if (folder.getParent().getFileName().toString().equals("broken_pkg")) {
                continue;
            }
            try (DirectoryPackageFiles files = new DirectoryPackageFiles(folder)) {
                PackageDocument doc = new PackageReader(true, w -> { }).read(files, false);
                JsonNode config = Json.mapper().readTree(PackageIndexConfig.of(doc, true).content());
                made.set(doc.name + "-" + doc.version, config);
            }
        }
        String golden = "/epr/index-config/reader-" + PackageIndexConfig.READER + ".json";
        try (InputStream in = PackageIndexConfigTest.class.getResourceAsStream(golden)) {
            assertThat(in).as(golden + " for reader " + PackageIndexConfig.READER).isNotNull();
            assertThat((JsonNode) made).as("the reader's documents changed: raise PackageIndexConfig.READER and write "
                    + "the golden file for the new number; made now:\n" + Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(made))
                    .isEqualTo(Json.mapper().readTree(in));
        }
    }

    @Test
    void aConfigReadsBackAsTheDocumentItWasWrittenFrom() throws Exception {
        Path folder = TestPackages.source().resolve("acme_logs/1.1.0");
        try (DirectoryPackageFiles files = new DirectoryPackageFiles(folder)) {
            PackageDocument doc = new PackageReader(true, w -> { }).read(files, false);
            PackageIndexConfig back = PackageIndexConfig.parse(PackageIndexConfig.of(doc, true).content());
            assertThat(back.reader()).isEqualTo(PackageIndexConfig.READER);
            assertThat(back.validated()).isTrue();
            assertThat((JsonNode) Json.mapper().valueToTree(back.document())).isEqualTo(Json.mapper().valueToTree(doc));
            assertThat(PackageIndexConfig.of(doc, true).mediaType()).isEqualTo(PackageIndexConfig.MEDIA_TYPE);
        }
    }
}
