package dev.wharf.terraform.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.terraform.layout.ArchiveFormat;
import dev.wharf.testing.HostileTars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module check reads a tar's headers as Go's archive/tar (terraform's unpacker, through go-getter) reads them,
 * where commons-compress alone reads them otherwise; tars written record by record by {@link HostileTars}.
 */
class ModuleTarAsGoReadsItTest {
    @TempDir
    Path dir;

    /** What a first header cut short is refused with, after the check's "NAME is refused: ". */
    private static String cutShort(int read) {
        return "the tar is cut short: it ends " + read + " bytes into its first header, which takes 512; Go's tar reader (terraform's"
                + " unpacker) refuses the archive there (\"unexpected EOF\")";
    }

    @Test
    void aTarCutShortInItsFirstHeaderIsSaidToBeCutShortNotToBeNoTar() throws IOException {
        // Go's reader fails such a tar with "unexpected EOF", as one cut short further on; it was refused as "not a tar archive".
        byte[] tar = HostileTars.start().file("main.tf", "variable \"region\" {}\n").end().bytes();
        for (int read : new int[] {156, 200, 300, 511}) {
            Path cut = Files.write(dir.resolve("cut-" + read + ".tar.gz"), HostileTars.gzip(Arrays.copyOf(tar, read)));
            assertThatThrownBy(() -> ModuleArchiveCheck.check(cut, ArchiveFormat.TAR_GZ, "the body")).as("cut at %d", read)
                    .isInstanceOf(UploadException.class).hasMessage("the body is refused: " + cutShort(read));
        }
        // Cut before its checksum field, what is left cannot be told from other bytes: no tar, as gzipped text is.
        Path early = Files.write(dir.resolve("cut-155.tar.gz"), HostileTars.gzip(Arrays.copyOf(tar, 155)));
        assertThatThrownBy(() -> ModuleArchiveCheck.check(early, ArchiveFormat.TAR_GZ, "the body"))
                .isInstanceOf(UploadException.class).hasMessage("the body is not a readable tar.gz: what its gzip holds is not a tar archive");
        Path text = Files.write(dir.resolve("text.tar.gz"), HostileTars.gzip("# notes\n".repeat(40).getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> ModuleArchiveCheck.check(text, ArchiveFormat.TAR_GZ, "the body"))
                .isInstanceOf(UploadException.class).hasMessage("the body is not a readable tar.gz: what its gzip holds is not a tar archive");
    }

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
    void aPaxGlobalHeadersRecordsApplyToNoLaterEntryAsGoReadsIt() throws IOException {
        // Go's reader returns a global header as an entry of its own and merges none of its records into later headers;
        // go-getter skips the entry. commons-compress applied them to every entry after it: this path renamed main.tf,
        // and these GNU.sparse keys made main.tf a sparse file whose data it would read as a map.
        byte[] path = HostileTars.start().pax((byte) 'g', "path=../escaped.tf").file("main.tf", "").end().gzipped();
        byte[] sparse = HostileTars.start().pax((byte) 'g', "GNU.sparse.major=1", "GNU.sparse.minor=0", "GNU.sparse.realsize=10")
                .file("main.tf", "no map\n").end().gzipped();
        // git archive writes one with the commit in a comment record; after an 'x' header, whose records Go drops with it.
        byte[] gitArchive = HostileTars.start().pax((byte) 'g', "comment=0123456789abcdef0123456789abcdef01234567").file("main.tf", "")
                .pax((byte) 'x', "path=../escaped.tf").pax((byte) 'g', "comment=again").file("variables.tf", "").end().gzipped();
        for (byte[] tar : new byte[][] {path, sparse, gitArchive}) {
            Path archive = Files.write(dir.resolve("global.tar.gz"), tar);
            assertThatCode(() -> ModuleArchiveCheck.check(archive, ArchiveFormat.TAR_GZ, "the body")).doesNotThrowAnyException();
        }
        // The global header's entry is no file of the module: a tar of it alone holds none.
        Path alone = Files.write(dir.resolve("alone.tar.gz"), HostileTars.start().pax((byte) 'g', "comment=built").end().gzipped());
        assertThatThrownBy(() -> ModuleArchiveCheck.check(alone, ArchiveFormat.TAR_GZ, "the body"))
                .isInstanceOf(UploadException.class).hasMessage("the body holds no files");
    }

    @Test
    void twoPaxHeadersBeforeOneEntryAreRefusedAsGoKeepsOnlyTheLast() throws IOException {
        // Go's reader names this entry main.tf (the second header's path) and terraform unpacks it inside the module;
        // commons-compress applied the first header's path last and checked ../escaped.tf. A GNU long name between the two
        // changes nothing.
        byte[] twice = HostileTars.start().pax((byte) 'x', "path=../escaped.tf").pax((byte) 'x', "path=main.tf").file("x", "").end().gzipped();
        byte[] longName = "notes.txt".getBytes(StandardCharsets.UTF_8);
        byte[] between = HostileTars.start().file("main.tf", "").pax((byte) 'x', "mtime=1").entry("././@LongLink", (byte) 'L', longName.length, longName)
                .pax((byte) 'x', "mtime=2").file("y", "").end().gzipped();
        Path twiceTar = Files.write(dir.resolve("twice.tar.gz"), twice);
        assertThatThrownBy(() -> ModuleArchiveCheck.check(twiceTar, ArchiveFormat.TAR_GZ, "the body"))
                .isInstanceOf(UploadException.class).hasMessage("the body is refused: the tar holds a second PAX extended header before one entry"
                        + " (at byte 1024); Go's tar reader (terraform's unpacker) keeps only the last one's records, where this reader would apply"
                        + " both, so the readers would take the entry differently");
        Path betweenTar = Files.write(dir.resolve("between.tar.gz"), between);
        assertThatThrownBy(() -> ModuleArchiveCheck.check(betweenTar, ArchiveFormat.TAR_GZ, "the body"))
                .isInstanceOf(UploadException.class).hasMessageContaining("a second PAX extended header before one entry (at byte 2560)");
        // One before each entry is how every writer writes them.
        byte[] each = HostileTars.start().pax((byte) 'x', "mtime=1").file("main.tf", "").pax((byte) 'x', "mtime=2").file("b.tf", "").end().gzipped();
        Path eachTar = Files.write(dir.resolve("each.tar.gz"), each);
        assertThatCode(() -> ModuleArchiveCheck.check(eachTar, ArchiveFormat.TAR_GZ, "the body")).doesNotThrowAnyException();
    }

    @Test
    void aHeaderWhoseChecksumIsWrongIsRefusedAsGoRefusesIt() throws IOException {
        // hidden.tf's header is damaged after it was written (a name byte changed, the checksum not): Go's reader stops
        // there with "archive/tar: invalid tar header", so terraform unpacks nothing, where commons-compress read it on.
        byte[] damaged = HostileTars.start().file("main.tf", "").file("hidden.tf", "variable \"hidden\" {}\n").end().bytes();
        damaged[HostileTars.RECORD + 8] = 'g';
        Path damagedTar = Files.write(dir.resolve("damaged.tar.gz"), HostileTars.gzip(damaged));
        assertThatThrownBy(() -> ModuleArchiveCheck.check(damagedTar, ArchiveFormat.TAR_GZ, "the body"))
                .isInstanceOf(UploadException.class).hasMessage("the body is refused: the tar's header at byte 512 (named 'hidden.tg') is damaged:"
                        + " its checksum field says " + Long.toString(checksumField(damaged, 1), 8) + " (octal) where its bytes sum to "
                        + Long.toString(checksumField(damaged, 1) + 1, 8) + " (" + Long.toString(checksumField(damaged, 1) + 1, 8)
                        + " as signed bytes); Go's tar reader (terraform's unpacker) refuses the archive there (\"archive/tar: invalid tar header\")");
        // A checksum field that is no octal number, after a PAX header.
        byte[] notOctal = HostileTars.start().file("main.tf", "").pax((byte) 'x', "mtime=1").file("notes.txt", "").end().bytes();
        System.arraycopy("12 9\0   ".getBytes(StandardCharsets.US_ASCII), 0, notOctal, 3 * HostileTars.RECORD + 148, 8);
        Path notOctalTar = Files.write(dir.resolve("not-octal.tar.gz"), HostileTars.gzip(notOctal));
        assertThatThrownBy(() -> ModuleArchiveCheck.check(notOctalTar, ArchiveFormat.TAR_GZ, "the body"))
                .isInstanceOf(UploadException.class).hasMessageStartingWith("the body is refused: the tar's header at byte 1536 (named 'notes.txt')"
                        + " is damaged: its checksum field '12 9\\x00   ' is no octal number;");
        // The first header damaged: what the gzip holds is no tar to either reader.
        byte[] first = HostileTars.start().file("main.tf", "").end().bytes();
        first[0] = 'n';
        Path firstTar = Files.write(dir.resolve("first.tar.gz"), HostileTars.gzip(first));
        assertThatThrownBy(() -> ModuleArchiveCheck.check(firstTar, ArchiveFormat.TAR_GZ, "the body"))
                .isInstanceOf(UploadException.class).hasMessage("the body is not a readable tar.gz: what its gzip holds is not a tar archive");
        // Go takes the signed sum as well as the unsigned one (old Sun tar's), and a field padded with spaces and NULs.
        byte[] signed = HostileTars.start().file("caf\u00e9.tf", "").file("main.tf", "").end().bytes();
        long signedSum = 0;
        for (int i = 0; i < HostileTars.RECORD; i++) {
            signedSum += i >= 148 && i < 156 ? ' ' : signed[i];
        }
        System.arraycopy(String.format(" %o\0\0 ", signedSum).getBytes(StandardCharsets.US_ASCII), 0, signed, 148, 8);
        assertThat(signedSum).isNotEqualTo(checksumField(HostileTars.start().file("caf\u00e9.tf", "").bytes(), 0));
        Path signedTar = Files.write(dir.resolve("signed.tar.gz"), HostileTars.gzip(signed));
        assertThatCode(() -> ModuleArchiveCheck.check(signedTar, ArchiveFormat.TAR_GZ, "the body")).doesNotThrowAnyException();
    }

    @Test
    void aZeroBlockFollowedByABlockThatIsNotZeroedIsRefusedAsGoRefusesTheArchiveThere() throws IOException {
        // Go's reader (readHeader) reads the block after a zero block: zeroed, the archive ends; anything else is
        // "archive/tar: invalid tar header", so terraform unpacks nothing of this one, where commons-compress took the
        // first zero block for the end and accepted main.tf alone.
        byte[] zeroBlock = new byte[HostileTars.RECORD];
        byte[] hidden = HostileTars.start().file("main.tf", "").raw(zeroBlock).file("hidden.tf", "variable \"hidden\" {}\n").end().gzipped();
        Path hiddenTar = Files.write(dir.resolve("hidden.tar.gz"), hidden);
        assertThatThrownBy(() -> ModuleArchiveCheck.check(hiddenTar, ArchiveFormat.TAR_GZ, "the body"))
                .isInstanceOf(UploadException.class).hasMessage("the body is refused: the tar holds a zero block followed by a block that is"
                        + " not zeroed, at byte 1024; Go's tar reader (terraform's unpacker) refuses the archive there (\"archive/tar: invalid"
                        + " tar header\"), where this reader would end it at the zero block");
        // A block cut short where a header would be, after a zero block or after an entry: Go's reader says "unexpected EOF".
        byte[] cutAfterZero = HostileTars.start().file("main.tf", "").raw(zeroBlock).raw(new byte[100]).gzipped();
        Path cutAfterZeroTar = Files.write(dir.resolve("cut-after-zero.tar.gz"), cutAfterZero);
        assertThatThrownBy(() -> ModuleArchiveCheck.check(cutAfterZeroTar, ArchiveFormat.TAR_GZ, "the body"))
                .isInstanceOf(UploadException.class).hasMessage("the body is refused: the tar ends 100 bytes into the block at byte 1024, where a"
                        + " header or the archive's end would be; Go's tar reader (terraform's unpacker) refuses the archive there (\"unexpected"
                        + " EOF\"), where this reader would end it there");
        byte[] cut = HostileTars.start().file("main.tf", "").raw("trailing".getBytes(StandardCharsets.US_ASCII)).gzipped();
        Path cutTar = Files.write(dir.resolve("cut.tar.gz"), cut);
        assertThatThrownBy(() -> ModuleArchiveCheck.check(cutTar, ArchiveFormat.TAR_GZ, "the body"))
                .isInstanceOf(UploadException.class).hasMessageStartingWith("the body is refused: the tar ends 8 bytes into the block at byte 512,");
        // One zero block and no more bytes is an end to Go's reader ("exactly 1 block of zeros read"), as two are.
        for (byte[] tar : new byte[][] {HostileTars.start().file("main.tf", "").raw(zeroBlock).gzipped(),
                HostileTars.start().file("main.tf", "").end().raw(HostileTars.start().file("after-the-end.tf", "").bytes()).gzipped()}) {
            Path ended = Files.write(dir.resolve("ended.tar.gz"), tar);
            assertThatCode(() -> ModuleArchiveCheck.check(ended, ArchiveFormat.TAR_GZ, "the body")).doesNotThrowAnyException();
        }
    }

    /** The checksum field of the header at record {@code index}, as HostileTars writes it ("%06o\0 "). */
    private static long checksumField(byte[] tar, int index) {
        return Long.parseLong(new String(tar, index * HostileTars.RECORD + 148, 6, StandardCharsets.US_ASCII), 8);
    }
}
