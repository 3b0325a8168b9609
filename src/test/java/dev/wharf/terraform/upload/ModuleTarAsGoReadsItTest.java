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
}
