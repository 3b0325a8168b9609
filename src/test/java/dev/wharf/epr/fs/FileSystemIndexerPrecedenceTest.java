package dev.wharf.epr.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.TestPackages;
import dev.wharf.epr.index.IndexedPackage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which copy of a package the file-system indexer keeps when two paths hold the same version. */
class FileSystemIndexerPrecedenceTest {
    @TempDir
    Path dir;

    @Test
    void aZipInALaterPathWinsOverAFolderInAnEarlierOne() throws Exception {
        Path folders = dir.resolve("folders");
        TestPackages.copyTree(TestPackages.source().resolve("acme_logs/1.0.0"), folders.resolve("acme_logs/1.0.0"));
        Path zips = dir.resolve("zips");
        TestPackages.zipFolder(TestPackages.source().resolve("acme_logs/1.0.0"), "acme_logs-1.0.0", zips.resolve("acme_logs-1.0.0.zip"));
        Files.writeString(zips.resolve("acme_logs-1.0.0.zip.sig"), "signature\n");

        FileSystemIndexer indexer = new FileSystemIndexer(List.of(folders, zips), true, false, dev.wharf.oci.archive.ArchiveLimits.DEFAULT, Clock.systemUTC());
        indexer.start();
        List<IndexedPackage> packages = indexer.packages();
        assertThat(packages).extracting(IndexedPackage::key).containsExactly("acme_logs-1.0.0");
        assertThat(packages.get(0).document().signaturePath).isEqualTo("/epr/acme_logs/acme_logs-1.0.0.zip.sig");
    }
}
