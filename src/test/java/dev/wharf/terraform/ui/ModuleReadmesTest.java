package dev.wharf.terraform.ui;

import dev.wharf.testing.BlobOpenings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Layer;
import dev.wharf.oci.archive.ArchiveRefusedException;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.terraform.layout.MediaTypes;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.module.ModuleAddress;
import dev.wharf.terraform.module.ModuleService;
import dev.wharf.testing.HostileTars;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** READMEs read from stored module archives: once per version, within the archive rules and size caps. */
class ModuleReadmesTest {
    private final TerraformLayout layout = TerraformLayout.under("boring-registry");
    private final ModuleAddress vpc = new ModuleAddress("acme", "vpc", "aws");

    @TempDir
    Path dir;

    @Test
    void aVersionsReadmeIsReadFromItsArchiveOnceAndThenKept() throws Exception {
        ImageLayoutStore store = new ImageLayoutStore(dir.resolve("layout"));
        byte[] archive = UiRegistry.tarGz(Map.of("main.tf", "", "README.md", "# Kept\n"));
        store.push(layout.moduleRepository("acme", "vpc", "aws"), layout.moduleTag("acme", "vpc", "aws", "1.0.0"),
                new Artifact(MediaTypes.MODULE_ARTIFACT, List.of(Layer.file(MediaTypes.MODULE_TAR_GZ, "m.tar.gz", BlobSource.ofBytes(archive))),
                        Map.of()), false);
        ModuleReadmes readmes = new ModuleReadmes(new ModuleService(store, layout));
        assertThat(readmes.html(vpc, "1.0.0")).hasValue("<h1>Kept</h1>\n");
        // The archive's blob gone: a second read from storage would fail, the kept answer does not.
        try (Stream<Path> files = Files.walk(dir.resolve("layout"))) {
            String hex = dev.wharf.oci.Digest.sha256(archive).hex();
            for (Path blob : files.filter(p -> p.getFileName().toString().equals(hex)).toList()) {
                Files.delete(blob);
            }
        }
        assertThat(readmes.html(vpc, "1.0.0")).hasValue("<h1>Kept</h1>\n");
    }

    @Test
    void aRefusedReadmeIsRememberedByItsArchivesDigestNotReadAgainOnEveryView() throws Exception {
        BlobOpenings store = new BlobOpenings(new ImageLayoutStore(dir.resolve("layout")));
        byte[] archive = UiRegistry.tarGz(Map.of("main.tf", "", "README.md", "x".repeat(ReadmeExtractor.MAX_README_BYTES + 1)));
        for (String version : List.of("1.0.0", "1.0.1")) {
            store.push(layout.moduleRepository("acme", "vpc", "aws"), layout.moduleTag("acme", "vpc", "aws", version),
                    new Artifact(MediaTypes.MODULE_ARTIFACT, List.of(Layer.file(MediaTypes.MODULE_TAR_GZ, "m.tar.gz", BlobSource.ofBytes(archive))),
                            Map.of()), false);
        }
        ModuleReadmes readmes = new ModuleReadmes(new ModuleService(store, layout));
        String refusal = "'README.md' is larger than " + ReadmeExtractor.MAX_README_BYTES + " bytes, more than a README page shows";
        for (int view = 0; view < 3; view++) {
            assertThatThrownBy(() -> readmes.html(vpc, "1.0.0")).isInstanceOf(ArchiveRefusedException.class).hasMessage(refusal);
        }
        // Another version holding the same archive is the same bytes, refused alike without reading them.
        assertThatThrownBy(() -> readmes.html(vpc, "1.0.1")).isInstanceOf(ArchiveRefusedException.class).hasMessage(refusal);
        assertThat(store.count()).as("archive blobs opened").isEqualTo(1);
    }


    @Test
    void theReadmeIsFoundInTarGzAndZipAtTheRootOnly() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("modules/sub/README.md", "nested");
        files.put("./README.md", "root");
        assertThat(ReadmeExtractor.read(new ByteArrayInputStream(UiRegistry.tarGz(files)), false, 1 << 20)).hasValue("root");
        assertThat(ReadmeExtractor.read(new ByteArrayInputStream(UiRegistry.zip(Map.of("readme.md", "zipped"))), true, 1 << 20)).hasValue("zipped");
        assertThat(ReadmeExtractor.read(new ByteArrayInputStream(UiRegistry.zip(Map.of("main.tf", ""))), true, 1 << 20)).isEmpty();
    }

    @Test
    void aTarThatEndsRightAfterAPaxHeaderShowsItsReadmeAsTerraformUnpacksIt() throws IOException {
        byte[] tar = HostileTars.start().file("README.md", "# Ends early\n").pax((byte) 'x', "mtime=1").gzipped();
        assertThat(ReadmeExtractor.read(new ByteArrayInputStream(tar), false, 1 << 20)).hasValue("# Ends early\n");
        byte[] noReadme = HostileTars.start().file("main.tf", "").pax((byte) 'x', "mtime=1").gzipped();
        assertThat(ReadmeExtractor.read(new ByteArrayInputStream(noReadme), false, 1 << 20)).isEmpty();
    }

    @Test
    void aPaxHeaderLongerThanGoReadsIsRefusedNotHeldWhateverTheInflationLimit() throws IOException {
        byte[] tar = HostileTars.start().pax((byte) 'x', "comment=" + "#".repeat(2 << 20)).file("README.md", "# Late\n").end().gzipped();
        assertThatThrownBy(() -> ReadmeExtractor.read(new ByteArrayInputStream(tar), false, 64L << 20))
                .isInstanceOf(ArchiveRefusedException.class).hasMessageStartingWith("the tar holds a PAX extended header of 2097169 bytes");
    }

    @Test
    void aDeviceOrFifoHasNoDataAsTerraformReadsItSoAReadmeItsBytesPassOverIsNotShown() throws IOException {
        // The device's 512 bytes of "data" are a header of skip.bin claiming the 1024 bytes after it: Go's reader gives
        // the device no data, reads skip.bin there and passes over README.md with it, so terraform never unpacks it.
        byte[] skip = HostileTars.header("skip.bin", (byte) '0', 1024);
        for (byte type : new byte[] {'3', '4', '6'}) {
            byte[] tar = HostileTars.start().file("main.tf", "").entry("dev", type, 512, skip).file("README.md", "# Not installed\n").end().gzipped();
            assertThat(ReadmeExtractor.read(new ByteArrayInputStream(tar), false, 1 << 20)).isEmpty();
        }
        // A device named README.md is an empty file to terraform, and so an empty README here.
        byte[] device = HostileTars.start().entry("README.md", (byte) '3', 512, skip).end().gzipped();
        assertThat(ReadmeExtractor.read(new ByteArrayInputStream(device), false, 1 << 20)).hasValue("");
    }

    @Test
    void aReadmeInASparseFilesBytesIsNotShown() throws IOException {
        // An old GNU sparse entry with an empty map and a size field of 1024: Go's reader skips its 1024 bytes, a README
        // among them, which commons-compress read as the next entry; the pages refuse the archive as the check does.
        byte[] readme = HostileTars.start().file("README.md", "# Not installed\n").bytes();
        byte[] tar = HostileTars.start().file("main.tf", "").gnuEntry("sparse.bin", (byte) 'S', 1024, readme).end().gzipped();
        assertThatThrownBy(() -> ReadmeExtractor.read(new ByteArrayInputStream(tar), false, 1 << 20))
                .isInstanceOf(ArchiveRefusedException.class).hasMessageStartingWith("the tar holds a sparse file 'sparse.bin'");
    }

    @Test
    void anEntryOfTypeUpperCaseXIsShownAsTheFileTerraformUnpacksNotReadAsAPaxHeader() throws IOException {
        // Go's reader takes only 'x' and 'g' for PAX headers: go-getter unpacks this 'X' entry as README.md holding
        // the record's text, where commons-compress read the record as a header for main.tf and showed no README.
        String record = HostileTars.paxRecord("comment=# Unpacked by terraform");
        byte[] readme = HostileTars.start().entry("README.md", (byte) 'X', record.length(), record.getBytes(StandardCharsets.UTF_8))
                .file("main.tf", "").end().gzipped();
        assertThat(ReadmeExtractor.read(new ByteArrayInputStream(readme), false, 1 << 20)).hasValue(record);
        // Nor does its path record rename the next entry: terraform unpacks notes.txt and hidden.md, no README.
        String path = HostileTars.paxRecord("path=README.md");
        byte[] renaming = HostileTars.start().entry("notes.txt", (byte) 'X', path.length(), path.getBytes(StandardCharsets.UTF_8))
                .file("hidden.md", "# Not installed as a README\n").end().gzipped();
        assertThat(ReadmeExtractor.read(new ByteArrayInputStream(renaming), false, 1 << 20)).isEmpty();
    }

    @Test
    void aPaxGlobalHeadersPathRenamesNoEntryAsTerraformUnpacksIt() throws IOException {
        // Go's reader carries no global header's records over; go-getter unpacks notes.md as notes.md, no README, where
        // commons-compress applied the path to notes.md and showed it as the README.
        byte[] renaming = HostileTars.start().pax((byte) 'g', "path=README.md").file("notes.md", "# Not installed as a README\n").end().gzipped();
        assertThat(ReadmeExtractor.read(new ByteArrayInputStream(renaming), false, 1 << 20)).isEmpty();
        // git archive's global header (a comment) before the README.
        byte[] gitArchive = HostileTars.start().pax((byte) 'g', "comment=0123456789abcdef").file("README.md", "# Shown\n").end().gzipped();
        assertThat(ReadmeExtractor.read(new ByteArrayInputStream(gitArchive), false, 1 << 20)).hasValue("# Shown\n");
    }

    @Test
    void aReadmeWhoseHeaderIsDamagedIsNotShownAsGoRefusesTheArchiveThere() throws IOException {
        // README.md's modification time changed after the header was written, its checksum not: Go's reader (terraform's
        // unpacker) stops at the header with "archive/tar: invalid tar header", where commons-compress showed the README.
        byte[] tar = HostileTars.start().file("main.tf", "").file("README.md", "# Never unpacked\n").end().bytes();
        tar[HostileTars.RECORD + 136] = '1';
        assertThatThrownBy(() -> ReadmeExtractor.read(new ByteArrayInputStream(HostileTars.gzip(tar)), false, 1 << 20))
                .isInstanceOf(ArchiveRefusedException.class).hasMessageStartingWith("the tar's header at byte 512 (named 'README.md') is damaged:")
                .hasMessageEndingWith("Go's tar reader (terraform's unpacker) refuses the archive there (\"archive/tar: invalid tar header\")");
    }

    @Test
    void anArchiveCutShortInItsFirstHeaderIsSaidToBeCutShortNotToHaveNoReadme() throws IOException {
        // Go's reader fails it with "unexpected EOF", so terraform installs nothing; the page said the module had no README.
        byte[] tar = HostileTars.start().file("README.md", "# Never unpacked\n").end().bytes();
        byte[] cut = HostileTars.gzip(Arrays.copyOf(tar, 300));
        assertThatThrownBy(() -> ReadmeExtractor.read(new ByteArrayInputStream(cut), false, 1 << 20))
                .isInstanceOf(ArchiveRefusedException.class).hasMessage("the tar is cut short: it ends 300 bytes into its first header, which"
                        + " takes 512; Go's tar reader (terraform's unpacker) refuses the archive there (\"unexpected EOF\")");
    }

    @Test
    void aReadmeAfterAZeroBlockIsRefusedAsGoRefusesTheArchiveThere() throws IOException {
        // Go's reader refuses the archive at README.md's header, a zero block coming before it ("archive/tar: invalid tar
        // header"), so terraform installs nothing; commons-compress ended the archive at the zero block, and the page said
        // the module had no README instead of why it cannot be installed.
        byte[] tar = HostileTars.start().file("main.tf", "").raw(new byte[HostileTars.RECORD]).file("README.md", "# Never installed\n").end().gzipped();
        assertThatThrownBy(() -> ReadmeExtractor.read(new ByteArrayInputStream(tar), false, 1 << 20))
                .isInstanceOf(ArchiveRefusedException.class).hasMessageStartingWith("the tar holds a zero block followed by a block that is not"
                        + " zeroed, at byte 1024;");
    }

    @Test
    void twoPaxHeadersBeforeOneEntryShowTheRefusalNotAReadmeTerraformInstallsUnderAnotherName() throws IOException {
        // Go's reader keeps the second header's records alone, so terraform installs notes.md; commons-compress applies
        // both, the first's last, and would show notes.md's text as README.md. The page says why instead.
        byte[] tar = HostileTars.start().file("main.tf", "").pax((byte) 'x', "path=README.md").pax((byte) 'x', "path=notes.md")
                .file("entry", "# Installed as notes.md\n").end().gzipped();
        assertThatThrownBy(() -> ReadmeExtractor.read(new ByteArrayInputStream(tar), false, 1 << 20))
                .isInstanceOf(ArchiveRefusedException.class).hasMessage("the tar holds a second PAX extended header before one entry (at byte"
                        + " 1536); Go's tar reader (terraform's unpacker) keeps only the last one's records, where this reader would apply both,"
                        + " so the readers would take the entry differently");
    }

    @Test
    void anArchiveThatInflatesTooFarABigReadmeOrAnEscapingNameIsRefused() throws IOException {
        Map<String, String> bomb = new LinkedHashMap<>();
        bomb.put("padding.bin", "0".repeat(3 << 20));
        bomb.put("README.md", "late");
        assertThatThrownBy(() -> ReadmeExtractor.read(new ByteArrayInputStream(UiRegistry.tarGz(bomb)), false, 1 << 20))
                .isInstanceOf(ArchiveRefusedException.class).hasMessageContaining("inflates to more than 1048576 bytes");
        byte[] big = UiRegistry.tarGz(Map.of("README.md", "x".repeat(ReadmeExtractor.MAX_README_BYTES + 1)));
        assertThatThrownBy(() -> ReadmeExtractor.read(new ByteArrayInputStream(big), false, 8L << 20))
                .isInstanceOf(ArchiveRefusedException.class).hasMessageContaining("larger than");
        assertThatThrownBy(() -> ReadmeExtractor.read(new ByteArrayInputStream(UiRegistry.tarGz(Map.of("../README.md", "out"))), false, 1 << 20))
                .isInstanceOf(ArchiveRefusedException.class).hasMessageContaining("climbs out");
    }

    @Test
    void aZipInflatesNoFurtherThanTheLimitEvenInEntriesPassedOverBeforeItsReadme() throws IOException {
        // 4 MiB of one character before the README: never read, yet inflated by the zip reader to be passed over.
        Map<String, String> files = new LinkedHashMap<>();
        files.put("padding.bin", "0".repeat(4 << 20));
        files.put("README.md", "late");
        byte[] zip = UiRegistry.zip(files);
        assertThatThrownBy(() -> ReadmeExtractor.read(new ByteArrayInputStream(zip), true, 1 << 20))
                .isInstanceOf(ArchiveRefusedException.class).hasMessageContaining("inflates to more than 1048576 bytes before its README");
        assertThat(ReadmeExtractor.read(new ByteArrayInputStream(zip), true, 8L << 20)).hasValue("late");
    }
}
