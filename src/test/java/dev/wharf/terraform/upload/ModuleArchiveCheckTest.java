package dev.wharf.terraform.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.terraform.layout.ArchiveFormat;
import dev.wharf.testing.HostileTars;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the module check sees is what terraform unpacks: every gzip member, every kind of zip entry. */
class ModuleArchiveCheckTest {
    @TempDir
    Path dir;

    @Test
    void everyGzipMemberIsChecked() throws IOException {
        // The first member a tar without its end-of-archive records, so that a reader of all members goes on into the second.
        byte[] first = gzip(tarWithoutEnd("main.tf", "variable \"a\" {}\n"));
        Path escaping = Files.write(dir.resolve("escaping.tar.gz"), concat(first, gzip(tar("../../escaped.tf", "x"))));
        assertThatThrownBy(() -> ModuleArchiveCheck.check(escaping, ArchiveFormat.TAR_GZ, "the body"))
                .isInstanceOf(UploadException.class).hasMessage("the body holds the entry '../../escaped.tf', which would be unpacked outside the module");

        Path linking = Files.write(dir.resolve("linking.tar.gz"), concat(first, gzip(symlinkTar("link", "/etc/passwd"))));
        assertThatThrownBy(() -> ModuleArchiveCheck.check(linking, ArchiveFormat.TAR_GZ, "the body"))
                .isInstanceOf(UploadException.class).hasMessageContaining("the body holds a link 'link'");

        Path plain = Files.write(dir.resolve("plain.tar.gz"), concat(first, gzip(tar("outputs.tf", "output \"b\" { value = 1 }\n"))));
        assertThatCode(() -> ModuleArchiveCheck.check(plain, ArchiveFormat.TAR_GZ, "the body")).doesNotThrowAnyException();
    }

    @Test
    void anEntryNameIsQuotedOnOneLineEscapedAndCutWhateverItHolds() throws IOException {
        // A line break, an ANSI colour escape and a right-to-left override: each would reach the API's JSON error,
        // the CLI's stderr and the log as the archive has it, forging a line or recolouring a terminal.
        Path hostile = Files.write(dir.resolve("hostile.tar.gz"), gzip(utf8Tar("../x\n\u001b[31mok\u202e.tf")));
        assertThatThrownBy(() -> ModuleArchiveCheck.check(hostile, ArchiveFormat.TAR_GZ, "the body"))
                .isInstanceOf(UploadException.class)
                .hasMessage("the body holds the entry '../x\\x0a\\x1b[31mok\\u202e.tf', which would be unpacked outside the module");

        // A PAX name has no length of its own: the message quotes its first 200 characters.
        Path longName = Files.write(dir.resolve("long.tar.gz"), gzip(utf8Tar("../" + "a".repeat(5000) + ".tf")));
        assertThatThrownBy(() -> ModuleArchiveCheck.check(longName, ArchiveFormat.TAR_GZ, "the body"))
                .isInstanceOf(UploadException.class)
                .hasMessage("the body holds the entry '../" + "a".repeat(197) + "…', which would be unpacked outside the module");

        Path linking = Files.write(dir.resolve("linking.tar.gz"), gzip(symlinkTar("l\u001b[2J", "/etc/passwd")));
        assertThatThrownBy(() -> ModuleArchiveCheck.check(linking, ArchiveFormat.TAR_GZ, "the body"))
                .isInstanceOf(UploadException.class).hasMessageStartingWith("the body holds a link 'l\\x1b[2J';");
    }

    @Test
    void aTarGzThatInflatesPastTheArchiveLimitsIsRefusedAsAZipIs() throws IOException {
        // 4 MiB of one character gzips to a few KB: far past 100 times its size, and past the 1 MiB floor.
        Path bomb = Files.write(dir.resolve("bomb.tar.gz"), gzip(tar("main.tf", "#".repeat(4 << 20))));
        assertThatThrownBy(() -> ModuleArchiveCheck.check(bomb, ArchiveFormat.TAR_GZ, "the body"))
                .isInstanceOf(UploadException.class).hasMessageStartingWith("the body is refused: the archive inflates to more than 1048576 bytes")
                .hasMessageContaining("compression ratio limit is 100 times its own size");

        // Below the floor any ratio is fine: a small module of one repetitive file amplifies nothing worth refusing.
        Path small = Files.write(dir.resolve("small.tar.gz"), gzip(tar("main.tf", "#".repeat(900 << 10))));
        assertThatCode(() -> ModuleArchiveCheck.check(small, ArchiveFormat.TAR_GZ, "the body")).doesNotThrowAnyException();
    }

    @Test
    void aZipWithALinkOrAnEntryTwiceIsRefused() throws IOException {
        Path linking = dir.resolve("linking.zip");
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(linking.toFile())) {
            file(zip, "main.tf", "variable \"a\" {}\n");
            ZipArchiveEntry link = new ZipArchiveEntry("creds.tf");
            link.setUnixMode(0120777);
            zip.putArchiveEntry(link);
            zip.write("/etc/passwd".getBytes(StandardCharsets.UTF_8));
            zip.closeArchiveEntry();
        }
        assertThatThrownBy(() -> ModuleArchiveCheck.check(linking, ArchiveFormat.ZIP, "the body"))
                .isInstanceOf(UploadException.class).hasMessageContaining("the body is refused: ").hasMessageContaining("creds.tf");

        Path twice = dir.resolve("twice.zip");
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(twice.toFile())) {
            file(zip, "main.tf", "variable \"a\" {}\n");
            file(zip, "main.tf", "variable \"b\" {}\n");
        }
        assertThatThrownBy(() -> ModuleArchiveCheck.check(twice, ArchiveFormat.ZIP, "the body"))
                .isInstanceOf(UploadException.class).hasMessageContaining("the body is refused: ").hasMessageContaining("main.tf");

        Path good = dir.resolve("good.zip");
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(good.toFile())) {
            file(zip, "main.tf", "variable \"a\" {}\n");
        }
        assertThatCode(() -> ModuleArchiveCheck.check(good, ArchiveFormat.ZIP, "the body")).doesNotThrowAnyException();
    }

    @Test
    void aZipWhoseLocalHeadersHoldAnEntryItsDirectoryDoesNotListIsRefused() throws IOException {
        // A README's local header and data put before a whole zip of main.tf: readers of the central directory
        // (terraform, java.util.zip) skip the prepended bytes; a reader of the stream, as the registry's pages are, meets it first.
        ByteArrayOutputStream hidden = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(hidden)) {
            file(zip, "README.md", "# Not in the module terraform installs\n");
        }
        byte[] readme = hidden.toByteArray();
        ByteArrayOutputStream module = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(module)) {
            file(zip, "main.tf", "variable \"a\" {}\n");
        }
        Path prepended = Files.write(dir.resolve("prepended.zip"), concat(Arrays.copyOf(readme, centralDirectoryAt(readme)), module.toByteArray()));
        assertThatThrownBy(() -> ModuleArchiveCheck.check(prepended, ArchiveFormat.ZIP, "the body"))
                .isInstanceOf(UploadException.class)
                .hasMessage("the body is refused: its local headers hold the entry 'README.md' where its central directory lists 'main.tf';"
                        + " the registry's pages read the one, terraform unpacks the other");

        Path plain = Files.write(dir.resolve("plain.zip"), module.toByteArray());
        assertThatCode(() -> ModuleArchiveCheck.check(plain, ArchiveFormat.ZIP, "the body")).doesNotThrowAnyException();
    }

    @Test
    void aTarWithADeviceOrAFifoIsRefusedAsALinkIs() throws IOException {
        // Beside a real main.tf, so the archive holds a file and only the special entry can be the reason. The entry's
        // data is a tar header of hidden.tf: Go's reader (terraform's) gives a device no data and unpacks hidden.tf,
        // which commons-compress, reading the size field's bytes as the device's data, never shows the check.
        for (Object[] special : new Object[][] {{TarArchiveEntry.LF_CHR, "a character device"}, {TarArchiveEntry.LF_BLK, "a block device"},
                {TarArchiveEntry.LF_FIFO, "a FIFO (named pipe)"}}) {
            Path archive = Files.write(dir.resolve("special.tar.gz"), gzip(withSpecialEntry("dev.tf", (byte) special[0])));
            assertThatThrownBy(() -> ModuleArchiveCheck.check(archive, ArchiveFormat.TAR_GZ, "the body"))
                    .isInstanceOf(UploadException.class).hasMessage("the body holds " + special[1] + " 'dev.tf'; module archives hold files only");
        }
    }

    @Test
    void aTarThatEndsRightAfterAPaxHeaderIsAcceptedAsGoReadsIt() throws IOException {
        // Go's reader (terraform's unpacker) takes an end where a header would begin for the archive's end, zeroed
        // records or not, and drops a PAX header nothing follows; so terraform unpacks main.tf from each of these.
        byte[][] tars = {
            HostileTars.start().file("main.tf", "variable \"a\" {}\n").pax((byte) 'x', "mtime=1").bytes(),
            HostileTars.start().file("main.tf", "variable \"a\" {}\n").pax((byte) 'x', "mtime=1").end().bytes(),
            HostileTars.start().file("main.tf", "variable \"a\" {}\n").pax((byte) 'g', "comment=built").bytes(),
            HostileTars.start().file("main.tf", "variable \"a\" {}\n").bytes(),
        };
        for (byte[] tar : tars) {
            Path archive = Files.write(dir.resolve("ending.tar.gz"), HostileTars.gzip(tar));
            assertThatCode(() -> ModuleArchiveCheck.check(archive, ArchiveFormat.TAR_GZ, "the body")).doesNotThrowAnyException();
        }
        // A PAX header with nothing after it is all the archive holds: nothing to unpack, said as for any tar of no files.
        Path empty = Files.write(dir.resolve("empty.tar.gz"), HostileTars.start().pax((byte) 'x', "mtime=1").gzipped());
        assertThatThrownBy(() -> ModuleArchiveCheck.check(empty, ArchiveFormat.TAR_GZ, "the body"))
                .isInstanceOf(UploadException.class).hasMessage("the body holds no files");
    }

    @Test
    void aPaxHeaderOrGnuLongNameLongerThanGoReadsIsRefusedBeforeItIsRead() throws IOException {
        // 2 MiB of a PAX comment (a record of any key is read whole), or of a GNU long name: gzipped to a few KB.
        String comment = "comment=" + "#".repeat(2 << 20);
        byte[] pax = HostileTars.start().pax((byte) 'x', comment).file("main.tf", "").end().gzipped();
        Path paxTar = Files.write(dir.resolve("pax.tar.gz"), pax);
        assertThatThrownBy(() -> ModuleArchiveCheck.check(paxTar, ArchiveFormat.TAR_GZ, "the body"))
                .isInstanceOf(UploadException.class).hasMessage("the body is refused: the tar holds a PAX extended header of "
                        + HostileTars.paxRecord(comment).length() + " bytes, more than the 1048576 bytes Go's tar reader"
                        + " (terraform's unpacker) reads of one");
        byte[] longName = ("a/".repeat(1 << 20) + "main.tf").getBytes(StandardCharsets.UTF_8);
        byte[] gnu = HostileTars.start().entry("././@LongLink", (byte) 'L', longName.length, longName).file("main.tf", "").end().gzipped();
        Path gnuTar = Files.write(dir.resolve("gnu.tar.gz"), gnu);
        assertThatThrownBy(() -> ModuleArchiveCheck.check(gnuTar, ArchiveFormat.TAR_GZ, "the body"))
                .isInstanceOf(UploadException.class).hasMessage("the body is refused: the tar holds a GNU long-name header of "
                        + longName.length + " bytes, more than the 1048576 bytes Go's tar reader (terraform's unpacker) reads of one");
        // At the cap, as Go reads it, the header is read and its entry checked (letters that gzip too poorly to
        // reach the compression ratio limit).
        java.util.Random letters = new java.util.Random(7);
        StringBuilder text = new StringBuilder();
        while (text.length() < (1 << 20) - 20) {
            text.append((char) ('a' + letters.nextInt(26)));
        }
        String atCap = "comment=" + text;
        byte[] fits = HostileTars.start().pax((byte) 'x', atCap).file("main.tf", "").end().gzipped();
        assertThat(HostileTars.paxRecord(atCap).length()).isLessThanOrEqualTo(1 << 20);
        Path fitsTar = Files.write(dir.resolve("fits.tar.gz"), fits);
        assertThatCode(() -> ModuleArchiveCheck.check(fitsTar, ArchiveFormat.TAR_GZ, "the body")).doesNotThrowAnyException();
    }

    @Test
    void aSparseFileIsRefusedAsALinkIsBeforeItsMapIsRead() throws IOException {
        // An old GNU sparse entry with an empty map and a size field of 1024: Go's reader (terraform's) skips the
        // 1024 bytes, a header of hidden.tf among them; commons-compress gave the entry no data and read hidden.tf.
        byte[] hidden = HostileTars.start().file("hidden.tf", "variable \"hidden\" {}\n").bytes();
        byte[] oldGnu = HostileTars.start().file("main.tf", "variable \"a\" {}\n").gnuEntry("sparse.tf", (byte) 'S', 1024, hidden).end().gzipped();
        // PAX format 1.0 names the file in GNU.sparse.name and puts its map in the entry's data: one that is no map
        // at all is refused as a sparse file, so the map was never read. Format 0.0 gives the map in the keys.
        byte[] pax10 = HostileTars.start().file("main.tf", "").pax((byte) 'x', "GNU.sparse.major=1", "GNU.sparse.minor=0",
                "GNU.sparse.name=sparse.tf", "GNU.sparse.realsize=10").entry("GNUSparseFile.0/sparse.tf", (byte) '0', 512,
                "no map\n".getBytes(StandardCharsets.UTF_8)).end().gzipped();
        byte[] pax00 = HostileTars.start().file("main.tf", "").pax((byte) 'x', "GNU.sparse.size=0", "GNU.sparse.numblocks=1",
                "GNU.sparse.offset=0", "GNU.sparse.numbytes=0", "path=sparse.tf").entry("sparse", (byte) '0', 0, new byte[0]).end().gzipped();
        for (byte[] tar : new byte[][] {oldGnu, pax10, pax00}) {
            Path archive = Files.write(dir.resolve("sparse.tar.gz"), tar);
            assertThatThrownBy(() -> ModuleArchiveCheck.check(archive, ArchiveFormat.TAR_GZ, "the body"))
                    .isInstanceOf(UploadException.class).hasMessage("the body holds a sparse file 'sparse.tf'; module archives hold files only");
        }
        // A PAX comment that merely mentions the keys is no sparse file.
        byte[] mention = HostileTars.start().pax((byte) 'x', "comment=GNU.sparse.major=1").file("main.tf", "").end().gzipped();
        Path plain = Files.write(dir.resolve("plain.tar.gz"), mention);
        assertThatCode(() -> ModuleArchiveCheck.check(plain, ArchiveFormat.TAR_GZ, "the body")).doesNotThrowAnyException();
    }

    @Test
    void aRegularFileWhoseNameEndsInASlashAndHoldsDataIsRefused() throws IOException {
        // Go's reader (terraform's) reads docs/'s 1024 bytes as a file's and skips the header of hidden.tf in them;
        // commons-compress took docs/ for a directory with no data and read hidden.tf. The name ending in '/' may come
        // from a PAX path too.
        byte[] hidden = HostileTars.start().file("hidden.tf", "variable \"hidden\" {}\n").bytes();
        byte[] named = HostileTars.start().file("main.tf", "").entry("docs/", (byte) '0', 1024, hidden).end().gzipped();
        byte[] paxNamed = HostileTars.start().file("main.tf", "").pax((byte) 'x', "path=docs/").entry("docs", (byte) '0', 1024, hidden)
                .end().gzipped();
        for (byte[] tar : new byte[][] {named, paxNamed}) {
            Path archive = Files.write(dir.resolve("slash.tar.gz"), tar);
            assertThatThrownBy(() -> ModuleArchiveCheck.check(archive, ArchiveFormat.TAR_GZ, "the body"))
                    .isInstanceOf(UploadException.class).hasMessage("the body is refused: entry 'docs/' of type '0' ends in '/' but holds 1024"
                            + " bytes of data; Go's tar reader (terraform's unpacker) reads them as a file's, where this reader takes the entry"
                            + " for a directory, so the readers would take different bytes for the next entry");
        }
        // Without data both readers go on at the next record; an old-style entry ('\0') named so is a directory to Go as well.
        byte[] empty = HostileTars.start().file("main.tf", "").entry("docs/", (byte) '0', 0, new byte[0]).end().gzipped();
        byte[] oldStyle = HostileTars.start().file("main.tf", "").entry("docs/", (byte) 0, 1024, hidden).end().gzipped();
        for (byte[] tar : new byte[][] {empty, oldStyle}) {
            Path archive = Files.write(dir.resolve("fine.tar.gz"), tar);
            assertThatCode(() -> ModuleArchiveCheck.check(archive, ArchiveFormat.TAR_GZ, "the body")).doesNotThrowAnyException();
        }
    }

    /** Where a zip of one entry's central directory begins: its first "PK\1\2" signature. */
    private static int centralDirectoryAt(byte[] zip) {
        for (int i = 0; i + 4 <= zip.length; i++) {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2) {
                return i;
            }
        }
        throw new IllegalArgumentException("no central directory");
    }

    private static void file(ZipArchiveOutputStream zip, String name, String content) throws IOException {
        zip.putArchiveEntry(new ZipArchiveEntry(name));
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeArchiveEntry();
    }

    private static byte[] tar(String name, String content) throws IOException {
        return tar(name, content, TarArchiveOutputStream::new);
    }

    /** A tar of one file whose name is written in UTF-8, in a PAX header when it is long. */
    private static byte[] utf8Tar(String name) throws IOException {
        return tar(name, "variable \"a\" {}\n", out -> {
            TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            return tar;
        });
    }

    private static byte[] tar(String name, String content, java.util.function.Function<OutputStream, TarArchiveOutputStream> open)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try (TarArchiveOutputStream tar = open.apply(out)) {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(bytes.length);
            tar.putArchiveEntry(entry);
            tar.write(bytes);
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    /** One entry's header and its padded content, without the zeroed records that end an archive. */
    private static byte[] tarWithoutEnd(String name, String content) throws IOException {
        int padded = (content.getBytes(StandardCharsets.UTF_8).length + 511) / 512 * 512;
        return Arrays.copyOf(tar(name, content), 512 + padded);
    }

    private static byte[] symlinkTar(String name, String target) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            entry.setLinkName(target);
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    /** A tar of main.tf, then an entry of this type whose 1024 bytes of data are another tar's entry, hidden.tf. */
    private static byte[] withSpecialEntry(String name, byte type) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            byte[] bytes = "variable \"a\" {}\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry file = new TarArchiveEntry("main.tf");
            file.setSize(bytes.length);
            tar.putArchiveEntry(file);
            tar.write(bytes);
            tar.closeArchiveEntry();
            TarArchiveEntry special = new TarArchiveEntry(name, type);
            special.setSize(1024);
            tar.putArchiveEntry(special);
            tar.write(Arrays.copyOf(tar("hidden.tf", "variable \"hidden\" {}\n"), 1024));
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
