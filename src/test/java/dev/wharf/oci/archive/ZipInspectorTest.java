package dev.wharf.oci.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.testing.HostileZips;
import dev.wharf.testing.HostileZips.Bomb;
import dev.wharf.testing.HostileZips.Entry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ZipInspectorTest {
    private static final ZipInspector DEFAULTS = new ZipInspector(ArchiveLimits.DEFAULT);

    @TempDir
    Path dir;

    @Test
    void aPlainZipPassesWithWhatItHolds() throws Exception {
        Path zip = HostileZips.write(dir.resolve("ok.zip"), List.of(Entry.file("a.txt", "hello"), Entry.file("sub/", ""),
                Entry.file("sub/b.txt", "world!")));
        ArchiveContents contents = DEFAULTS.inspect(zip);
        assertThat(contents.files()).containsExactly("a.txt", "sub/b.txt");
        assertThat(contents.directories()).containsExactly("sub/");
        assertThat(contents.uncompressedBytes()).isEqualTo(11);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../../../tmp/x", "/etc/abs", "..\\..\\etc\\hostname", "nul\u0000.txt", "C:/x", "a/../../b"})
    void refusesEntriesThatUnpackOutsideTheRoot(String name) throws Exception {
        Path zip = HostileZips.write(dir.resolve("slip.zip"), List.of(Entry.file("fine.txt", "x"), Entry.file(name, "pwned")));
        assertThatThrownBy(() -> DEFAULTS.inspect(zip)).isInstanceOf(ArchiveRefusedException.class).hasMessageContaining("entry '");
    }

    @Test
    void refusesSymbolicLinksWhereverTheyPoint() throws Exception {
        for (String target : List.of("/etc/shadow", "../../etc", "inside.txt")) {
            Path zip = HostileZips.write(dir.resolve("link.zip"), List.of(Entry.file("inside.txt", "x"), Entry.symlink("l", target)));
            assertThatThrownBy(() -> DEFAULTS.inspect(zip)).as(target).isInstanceOf(ArchiveRefusedException.class)
                    .hasMessageContaining("'l' is a symbolic link");
        }
    }

    @Test
    void refusesSpecialFilesAndDuplicates() throws Exception {
        Path fifo = HostileZips.write(dir.resolve("fifo.zip"), List.of(Entry.fifo("pipe")));
        assertThatThrownBy(() -> DEFAULTS.inspect(fifo)).hasMessageContaining("'pipe' is a special file");
        Path twice = HostileZips.write(dir.resolve("twice.zip"), List.of(Entry.file("a", "1"), Entry.file("a", "2")));
        assertThatThrownBy(() -> DEFAULTS.inspect(twice)).hasMessageContaining("'a' is listed twice");
    }

    @Test
    void aRefusedEntryOfAnyLengthIsQuotedCutAt200Characters() throws Exception {
        // A zip's name may be 65 535 bytes long: quoted whole, one refusal was a page of the API's JSON error and the log.
        String name = "m".repeat(10_000) + ".tf";
        Path twice = HostileZips.write(dir.resolve("long.zip"), List.of(Entry.file(name, "1"), Entry.file(name, "2")));
        assertThatThrownBy(() -> DEFAULTS.inspect(twice)).isInstanceOf(ArchiveRefusedException.class)
                .hasMessage("entry '" + "m".repeat(200) + "…' is listed twice");
    }

    @Test
    void refusesABombOfAFewMegabytesThatInflatesToGigabytesByItsRatio() throws Exception {
        Path zip = HostileZips.write(dir.resolve("bomb.zip"), List.of(Entry.file("README.md", "# hi")),
                List.of(Bomb.honest("fields.yml", 2048L << 20)));
        assertThat(Files.size(zip)).isLessThan(4L << 20);
        assertThatThrownBy(() -> DEFAULTS.inspect(zip)).isInstanceOf(ArchiveRefusedException.class)
                .hasMessageContaining("compression ratio").hasMessageContaining("'fields.yml'");
    }

    @Test
    void refusesMoreThanTheUncompressedLimitWhateverTheRatio() throws Exception {
        Path zip = HostileZips.write(dir.resolve("big.zip"), List.of(), List.of(Bomb.honest("a", 3L << 20), Bomb.honest("b", 3L << 20)));
        ZipInspector small = new ZipInspector(new ArchiveLimits(5L << 20, 1_000_000));
        assertThatThrownBy(() -> small.inspect(zip)).hasMessageContaining("uncompressed size limit").hasMessageContaining("'b'");
        assertThat(new ZipInspector(new ArchiveLimits(6L << 20, 1_000_000)).inspect(zip).uncompressedBytes()).isEqualTo(6L << 20);
    }

    @Test
    void countsWhatInflatesNotWhatTheHeadersDeclare() throws Exception {
        Path zip = HostileZips.write(dir.resolve("liar.zip"), List.of(), List.of(new Bomb("small.txt", 64L << 20, 10)));
        assertThatThrownBy(() -> new ZipInspector(new ArchiveLimits(1L << 40, 1_000_000)).inspect(zip))
                .hasMessageContaining("'small.txt' declares 10 bytes but inflates to more");
    }

    @Test
    void findsTheDirectoryOfAZip64ArchiveAndALinkAtItsEnd() throws Exception {
        // More than 65 535 entries: the plain end record cannot count them, and the Zip64 one is read.
        List<Entry> many = new ArrayList<>();
        for (int i = 0; i < 70_000; i++) {
            many.add(Entry.file("f/" + i, ""));
        }
        Path ok = HostileZips.write(dir.resolve("many.zip"), many);
        assertThat(DEFAULTS.inspect(ok).files()).hasSize(70_000);
        many.add(Entry.symlink("last", "/etc/shadow"));
        Path linked = HostileZips.write(dir.resolve("many-linked.zip"), many);
        assertThatThrownBy(() -> DEFAULTS.inspect(linked)).hasMessageContaining("'last' is a symbolic link");
    }

    @Test
    void readsTheDirectoryBehindPrependedBytesAndACommentThatLooksLikeAnEndRecord() throws Exception {
        // A self-extracting stub in front, and a comment holding an end record's signature and fields.
        byte[] stub = new byte[4096];
        java.util.Arrays.fill(stub, (byte) 'X');
        byte[] comment = new byte[25];
        System.arraycopy(new byte[] {0x50, 0x4b, 0x05, 0x06}, 0, comment, 0, 4);
        System.arraycopy(new byte[] {'e', 'n', 'd'}, 0, comment, 22, 3);
        assertTheLinkIsFoundThrough(stub, comment);
    }

    @Test
    void findsTheEndRecordBeforeALongCommentWithAFalseOneNearItsEnd() throws Exception {
        // 40 000 bytes of comment: the end record is beyond the short tail searched first, and the
        // signature near the comment's end, inside that tail, is no end record.
        byte[] comment = new byte[40_000];
        java.util.Arrays.fill(comment, (byte) 'c');
        System.arraycopy(new byte[] {0x50, 0x4b, 0x05, 0x06}, 0, comment, comment.length - 100, 4);
        assertTheLinkIsFoundThrough(new byte[0], comment);
    }

    /** A zip holding a symbolic link, behind {@code prefix} and with {@code comment}: refused for its link, so its directory was found. */
    private void assertTheLinkIsFoundThrough(byte[] prefix, byte[] comment) throws Exception {
        Path plain = HostileZips.write(dir.resolve("plain.zip"), List.of(Entry.file("a.txt", "hello"), Entry.symlink("l", "a.txt")));
        byte[] zip = Files.readAllBytes(plain);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix);
        out.write(zip, 0, zip.length - 2);  // its comment length, 0: replaced
        out.write(comment.length & 0xFF);
        out.write(comment.length >> 8);
        out.writeBytes(comment);
        Path disguised = Files.write(dir.resolve("disguised.zip"), out.toByteArray());
        assertThatThrownBy(() -> DEFAULTS.inspect(disguised)).isInstanceOf(ArchiveRefusedException.class)
                .hasMessageContaining("'l' is a symbolic link");
    }

    @Test
    void aNameThatIsNotUtf8IsNotReadable() throws Exception {
        Path zip = HostileZips.write(dir.resolve("latin.zip"), List.of(Entry.file("caf\u00e9.txt", "x")));
        byte[] bytes = Files.readAllBytes(zip);
        byte[] utf8 = "caf\u00e9".getBytes(StandardCharsets.UTF_8);
        // Rewrite every copy of the name as Latin-1, one byte shorter, padded with a byte that is never valid UTF-8 either.
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        String from = new String(utf8, StandardCharsets.ISO_8859_1);
        Files.write(zip, text.replace(from, "caf\u00e9\u00ff").getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> DEFAULTS.inspect(zip)).isInstanceOf(java.util.zip.ZipException.class);
    }
}
