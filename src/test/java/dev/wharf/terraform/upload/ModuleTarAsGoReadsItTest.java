package dev.wharf.terraform.upload;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.terraform.layout.ArchiveFormat;
import dev.wharf.testing.HostileTars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module check reads a tar's headers as Go's archive/tar (terraform's unpacker, through go-getter) reads them,
 * where commons-compress alone reads them otherwise; tars written record by record by {@link HostileTars}.
 */
class ModuleTarAsGoReadsItTest {
    @TempDir
    Path dir;

    @Test
    void anEntryOfTypeUpperCaseXIsAFileAsGoReadsItNotAPaxHeader() throws IOException {
        // Go's reader takes only 'x' and 'g' for PAX headers; go-getter unpacks an 'X' entry as a file under its
        // header's name. So this one would be unpacked outside the module (go-getter refuses it for its ".."), where
        // commons-compress took its records for the next entry's and checked main.tf alone.
        byte[] records = HostileTars.paxRecord("mtime=1").getBytes(StandardCharsets.UTF_8);
        byte[] escaping = HostileTars.start().entry("../escaped.tf", (byte) 'X', records.length, records).file("main.tf", "").end().gzipped();
        Path escapingTar = Files.write(dir.resolve("escaping.tar.gz"), escaping);
        assertThatThrownBy(() -> ModuleArchiveCheck.check(escapingTar, ArchiveFormat.TAR_GZ, "the body"))
                .isInstanceOf(UploadException.class).hasMessage("the body holds the entry '../escaped.tf', which would be unpacked outside the module");
        // Its path record renames nothing: terraform unpacks notes.txt and main.tf, both inside the module.
        byte[] path = HostileTars.paxRecord("path=../escaped.tf").getBytes(StandardCharsets.UTF_8);
        byte[] renaming = HostileTars.start().entry("notes.txt", (byte) 'X', path.length, path).file("main.tf", "").end().gzipped();
        Path renamingTar = Files.write(dir.resolve("renaming.tar.gz"), renaming);
        assertThatCode(() -> ModuleArchiveCheck.check(renamingTar, ArchiveFormat.TAR_GZ, "the body")).doesNotThrowAnyException();
    }

    @Test
    void aSparseFileIsRefusedByItsFullNameNotItsHeadersNameField() throws IOException {
        // A name past the header's 100-byte name field, given by a GNU long name, a PAX path or the ustar prefix field:
        // the refusal names the file as terraform would unpack it, not by the field's first 100 bytes.
        String folder = "modules/" + "nested/".repeat(16);
        String longName = folder + "sparse.tf";
        byte[] name = longName.getBytes(StandardCharsets.UTF_8);
        byte[] hidden = HostileTars.start().file("hidden.tf", "variable \"hidden\" {}\n").bytes();
        byte[] gnuLongName = HostileTars.start().file("main.tf", "").gnuEntry("././@LongLink", (byte) 'L', name.length, name)
                .gnuEntry(longName, (byte) 'S', 1024, hidden).end().gzipped();
        byte[] paxPath = HostileTars.start().file("main.tf", "").pax((byte) 'x', "path=" + longName).gnuEntry(longName, (byte) 'S', 1024, hidden)
                .end().gzipped();
        // PAX 0.0 keys, then a GNU long name: Go's reader names the entry by the long name.
        byte[] keysThenLongName = HostileTars.start().file("main.tf", "").pax((byte) 'x', "GNU.sparse.size=0", "GNU.sparse.numblocks=1",
                "GNU.sparse.offset=0", "GNU.sparse.numbytes=0").gnuEntry("././@LongLink", (byte) 'L', name.length, name)
                .entry(longName, (byte) '0', 0, new byte[0]).end().gzipped();
        byte[] prefixed = HostileTars.start().file("main.tf", "").pax((byte) 'x', "GNU.sparse.size=0", "GNU.sparse.numblocks=1",
                "GNU.sparse.offset=0", "GNU.sparse.numbytes=0").prefixedEntry(folder.substring(0, folder.length() - 1), "sparse.tf", (byte) '0', 0,
                new byte[0]).end().gzipped();
        for (byte[] tar : new byte[][] {gnuLongName, paxPath, keysThenLongName, prefixed}) {
            Path archive = Files.write(dir.resolve("sparse.tar.gz"), tar);
            assertThatThrownBy(() -> ModuleArchiveCheck.check(archive, ArchiveFormat.TAR_GZ, "the body"))
                    .isInstanceOf(UploadException.class).hasMessage("the body holds a sparse file '" + longName + "'; module archives hold files only");
        }
    }

    @Test
    void aSparseFileAPaxGlobalHeaderDescribesIsRefused() throws IOException {
        // commons-compress applies a global header's GNU.sparse keys to every entry after it and would read main.tf's
        // data as a format 1.0 map; the entry is refused at its header, named as the archive gives it.
        byte[] global = HostileTars.start().pax((byte) 'g', "GNU.sparse.major=1", "GNU.sparse.minor=0", "GNU.sparse.realsize=10")
                .file("main.tf", "no map\n").end().gzipped();
        Path archive = Files.write(dir.resolve("global.tar.gz"), global);
        assertThatThrownBy(() -> ModuleArchiveCheck.check(archive, ArchiveFormat.TAR_GZ, "the body"))
                .isInstanceOf(UploadException.class).hasMessage("the body holds a sparse file 'main.tf'; module archives hold files only");
    }
}
