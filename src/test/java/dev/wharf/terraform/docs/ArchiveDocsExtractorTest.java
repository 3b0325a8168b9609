package dev.wharf.terraform.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.archive.ArchiveRefusedException;
import dev.wharf.testing.HostileTars;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/** Module archives read for their documentation: a bad file is a note, a bad archive a refusal. */
class ArchiveDocsExtractorTest {
    private static final String VARIABLE = "variable \"region\" {\n  type = string\n}\n";

    @Test
    void aFileThatDoesNotParseIsANoteAndTheOtherFilesStillCount() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("variables.tf", bytes(VARIABLE));
        files.put("broken.tf", bytes("output \"x\" {\n  value = \"never closed\n}\n"));
        files.put("latin1.tf", new byte[] {'#', ' ', (byte) 0xe9, '\n'});
        files.put("modules/child/main.tf", bytes("resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n"));
        ArchiveDocs docs = ArchiveDocsExtractor.read(new ByteArrayInputStream(tarGz(files)), false, 1 << 20);

        assertThat(docs.root().inputs()).extracting(ModuleDocs.Input::name).containsExactly("region");
        assertThat(docs.root().noteTexts()).containsExactlyInAnyOrder(
                "broken.tf: not read, line 2: a quoted string is not closed on its line",
                "latin1.tf: not read, it is not UTF-8 text");
        assertThat(docs.submodules()).singleElement().satisfies(child -> {
            assertThat(child.path()).isEqualTo("modules/child");
            assertThat(child.resources()).isEmpty();
            assertThat(child.noteTexts()).containsExactly("main.tf: not read, line 1: a block is never closed with '}'");
        });
    }

    @Test
    void aNoteQuotesAtMost200CharactersOfATokenOnOneLineEscaped() throws IOException {
        // A string token runs to its closing quote: here a whole line of 5 000 characters, led by an ANSI colour escape,
        // which the read API's note_details, the log and a terminal would otherwise carry whole and raw.
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("main.tf", bytes(VARIABLE));
        files.put("broken.tf", bytes("\"\u001b[31m" + "x".repeat(5000) + "\" = 1\n"));
        ArchiveDocs docs = ArchiveDocsExtractor.read(new ByteArrayInputStream(tarGz(files)), false, 1 << 20);

        assertThat(docs.root().noteTexts()).containsExactly(
                "broken.tf: not read, line 1: expected an attribute or block name, found '\"\\x1b[31m" + "x".repeat(194) + "…'");
    }

    @Test
    void aNoteQuotesAnUnexpectedCharacterWholeAndEscapedSoNoOverrideTurnsItRound() throws IOException {
        // A right-to-left override (U+202E) or isolate (U+2067) quoted raw drew the rest of the note backwards in a terminal
        // or a log; an emoji's first half alone is not text.
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("main.tf", bytes(VARIABLE));
        files.put("override.tf", bytes("variable \"a\" {\n  default = \u202e1\n}\n"));
        files.put("escape.tf", bytes("x = \"\\\u2067\"\n"));
        files.put("ship.tf", bytes("\ud83d\udea2 = 1\n"));
        ArchiveDocs docs = ArchiveDocsExtractor.read(new ByteArrayInputStream(tarGz(files)), false, 1 << 20);

        assertThat(docs.root().noteTexts()).containsExactlyInAnyOrder(
                "override.tf: not read, line 2: unexpected character '\\u202e'",
                "escape.tf: not read, line 1: a backslash followed by '\\u2067' is no escape HCL knows",
                "ship.tf: not read, line 1: unexpected character '\ud83d\udea2'");
    }

    @Test
    void zipArchivesAreReadAndOnlyTheRootAndModulesDirectoriesCount() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("main.tf", bytes(VARIABLE));
        files.put("examples/basic/main.tf", bytes("variable \"example_only\" {}\n"));
        files.put("modules/a/b/deep.tf", bytes("variable \"too_deep\" {}\n"));
        files.put("modules/a/main.tf", bytes("output \"id\" {\n  value = 1\n}\n"));
        files.put("modules/a/main.tf.json", bytes("{}"));
        ArchiveDocs docs = ArchiveDocsExtractor.read(new ByteArrayInputStream(zip(files)), true, 1 << 20);

        assertThat(docs.root().inputs()).extracting(ModuleDocs.Input::name).containsExactly("region");
        assertThat(docs.submodules()).singleElement().satisfies(a -> {
            assertThat(a.outputs()).extracting(ModuleDocs.Output::name).containsExactly("id");
            assertThat(a.inputs()).isEmpty();
            assertThat(a.noteTexts()).containsExactly("main.tf.json: not read, JSON-syntax configuration is not documented");
        });
    }

    @Test
    void anOversizedFileIsANoteWhileABombOrAnEscapingNameRefusesTheArchive() throws IOException {
        Map<String, byte[]> big = new LinkedHashMap<>();
        big.put("huge.tf", bytes("# " + "x".repeat(ArchiveDocsExtractor.MAX_FILE_BYTES) + "\n"));
        big.put("main.tf", bytes(VARIABLE));
        ArchiveDocs docs = ArchiveDocsExtractor.read(new ByteArrayInputStream(tarGz(big)), false, 8L << 20);
        assertThat(docs.root().noteTexts()).containsExactly("huge.tf: not read, larger than " + ArchiveDocsExtractor.MAX_FILE_BYTES + " bytes");
        assertThat(docs.root().inputs()).hasSize(1);

        assertThatThrownBy(() -> ArchiveDocsExtractor.read(new ByteArrayInputStream(tarGz(big)), false, 1 << 20))
                .isInstanceOf(ArchiveRefusedException.class).hasMessageContaining("inflates to more than 1048576 bytes");
        assertThatThrownBy(() -> ArchiveDocsExtractor.read(new ByteArrayInputStream(tarGz(Map.of("../main.tf", bytes(VARIABLE)))), false, 1 << 20))
                .isInstanceOf(ArchiveRefusedException.class).hasMessageContaining("climbs out");
    }

    @Test
    void anArchiveCutShortInItsFirstHeaderIsRefusedAsCutShortNotDocumentedAsEmpty() throws IOException {
        // Go's reader fails it with "unexpected EOF"; the documentation had said the module had no inputs at all.
        byte[] tar = HostileTars.start().file("main.tf", VARIABLE).end().bytes();
        byte[] cut = HostileTars.gzip(Arrays.copyOf(tar, 300));
        assertThatThrownBy(() -> ArchiveDocsExtractor.read(new ByteArrayInputStream(cut), false, 1 << 20))
                .isInstanceOf(ArchiveRefusedException.class).hasMessage("the tar is cut short: it ends 300 bytes into its first header, which"
                        + " takes 512; Go's tar reader (terraform's unpacker) refuses the archive there (\"unexpected EOF\")");
    }

    @Test
    void aZipInflatesNoFurtherThanTheLimitEvenInEntriesThatAreNotRead() throws IOException {
        // 4 MiB of zeros before the configuration: passed over, never read as a file, yet inflated to be passed over.
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("blob.bin", new byte[4 << 20]);
        files.put("main.tf", bytes(VARIABLE));
        byte[] zip = zip(files);
        assertThatThrownBy(() -> ArchiveDocsExtractor.read(new ByteArrayInputStream(zip), true, 1 << 20))
                .isInstanceOf(ArchiveRefusedException.class).hasMessageContaining("inflates to more than 1048576 bytes");
        assertThat(ArchiveDocsExtractor.read(new ByteArrayInputStream(zip), true, 8L << 20).root().inputs()).hasSize(1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] tarGz(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(file.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] zip(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
