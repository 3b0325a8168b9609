package dev.wharf.terraform.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModuleSpecReaderTest {
    private final ModuleSpecReader reader = new ModuleSpecReader();

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
