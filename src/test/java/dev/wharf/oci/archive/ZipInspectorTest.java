package dev.wharf.oci.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.testing.HostileZips;
import dev.wharf.testing.HostileZips.Bomb;
import dev.wharf.testing.HostileZips.Entry;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
