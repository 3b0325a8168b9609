package dev.wharf.terraform.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleSpecReaderTest {
    private final ModuleSpecReader reader = new ModuleSpecReader();

    @TempDir
    Path dir;

    @Test
    void readsTheMetadataBlockWithCommentsAndEscapes() {
        ModuleSpec spec = reader.parse("""
                # a comment
                // another
                /* and a
                   block comment */
                metadata {
                  namespace = "acme" # trailing
                  name      = "v\\"pc"
                  provider  = "aws", version = "1.2.3"
                }
                """, "test.hcl");
        assertThat(spec).isEqualTo(new ModuleSpec("acme", "v\"pc", "aws", Optional.of("1.2.3")));
    }

    /** hclsyntax drops a leading UTF-8 byte order mark (token.go stripUTF8BOM), as Windows editors write one. */
    @Test
    void aLeadingByteOrderMarkIsDropped() throws Exception {
        Path file = dir.resolve(ModuleSpecReader.FILE_NAME);
        Files.write(file, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        Files.writeString(file, "metadata {\n namespace = \"a\"\n name = \"b\"\n provider = \"c\"\n}\n", StandardOpenOption.APPEND);
        assertThat(reader.read(file)).isEqualTo(new ModuleSpec("a", "b", "c", Optional.empty()));
    }

    @Test
    void anUnexpectedCharacterThatCannotBeSeenIsShownByItsCode() {
        assertThatThrownBy(() -> reader.parse("metadata {\n\uFEFF}", "f")).hasMessage("f line 2: unexpected character U+FEFF");
        assertThatThrownBy(() -> reader.parse("metadata {\u00A0}", "f")).hasMessage("f line 1: unexpected character U+00A0");
        assertThatThrownBy(() -> reader.parse("metadata {\u200B}", "f")).hasMessage("f line 1: unexpected character U+200B");
        assertThatThrownBy(() -> reader.parse("metadata {\u0007}", "f")).hasMessage("f line 1: unexpected character U+0007");
        assertThatThrownBy(() -> reader.parse("metadata { ; }", "f")).hasMessage("f line 1: unexpected character ';' (U+003B)");
    }

    @Test
    void versionMayBeLeftToTheFlag() {
        assertThat(reader.parse("metadata {\n namespace = \"a\"\n name = \"b\"\n provider = \"c\"\n}", "x").version()).isEmpty();
    }

    @Test
    void errorsNameTheFileAndLine() {
        assertThatThrownBy(() -> reader.parse("metadata {\n  namespace = acme\n}", "mod/boring-registry.hcl"))
                .hasMessage("mod/boring-registry.hcl line 2: 'namespace' needs a quoted string value");
        assertThatThrownBy(() -> reader.parse("metadata {\n\n  colour = \"red\"\n}", "f"))
                .hasMessageContaining("f line 3: unknown attribute 'colour'");
        assertThatThrownBy(() -> reader.parse("metadata {\n  name = \"x\n}", "f")).hasMessageContaining("line 2: string not closed");
        assertThatThrownBy(() -> reader.parse("metadata {\n  name = \"x\"\n", "f")).hasMessageContaining("not closed with '}'");
        assertThatThrownBy(() -> reader.parse("# nothing\n", "f")).hasMessage("f: no 'metadata' block");
        assertThatThrownBy(() -> reader.parse("metadata {\n name = \"b\"\n provider = \"c\"\n}", "f"))
                .hasMessage("f: metadata lacks 'namespace'");
    }
}
