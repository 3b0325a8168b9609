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

    /**
     * A character the reader cannot take is quoted as every quote of the publisher's text is (PrintableText), where the
     * reader had a scheme of its own (a bare U+XXXX for one that cannot be seen), and named by its code point.
     */
    @Test
    void anUnexpectedCharacterIsQuotedEscapedAndNamedByItsCode() {
        assertThatThrownBy(() -> reader.parse("metadata {\n\uFEFF}", "f")).hasMessage("f line 2: unexpected character '\\ufeff' (U+FEFF)");
        assertThatThrownBy(() -> reader.parse("metadata {\u00A0}", "f")).hasMessage("f line 1: unexpected character '\u00A0' (U+00A0)");
        assertThatThrownBy(() -> reader.parse("metadata {\u202E}", "f")).hasMessage("f line 1: unexpected character '\\u202e' (U+202E)");
        assertThatThrownBy(() -> reader.parse("metadata {\u0007}", "f")).hasMessage("f line 1: unexpected character '\\x07' (U+0007)");
        assertThatThrownBy(() -> reader.parse("metadata { ; }", "f")).hasMessage("f line 1: unexpected character ';' (U+003B)");
        assertThatThrownBy(() -> reader.parse("metadata { \\ }", "f")).hasMessage("f line 1: unexpected character '\\\\' (U+005C)");
    }

    /** A quoted string where a name or punctuation stands, and an unknown escape, are quoted escaped too. */
    @Test
    void aStringOrEscapeAnErrorQuotesIsEscaped() {
        assertThatThrownBy(() -> reader.parse("metadata {\n \"a\u202Eb\\nc\" = \"x\"\n}", "f"))
                .hasMessage("f line 2: expected an attribute name, found 'a\\u202eb\\x0ac'");
        assertThatThrownBy(() -> reader.parse("metadata {\n name \"x\"\n}", "f"))
                .hasMessage("f line 2: expected '=' after 'name', found 'x'");
        assertThatThrownBy(() -> reader.parse("metadata {\n name = \"\\\u202E\"\n}", "f"))
                .hasMessage("f line 2: unknown escape '\\\\\\u202e' in a string");
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
