package dev.wharf.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.oci.archive.EntryNames;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PrintableTextTest {
    /** U+1F6A2, a ship: two UTF-16 characters, a surrogate pair. */
    private static final String SHIP = new String(Character.toChars(0x1F6A2));

    @Test
    void aCutThatWouldFallInsideASurrogatePairFallsBeforeIt() {
        assertThat(SHIP).hasSize(2);
        assertThat(PrintableText.escaped("ab" + SHIP + "c", 3)).isEqualTo("ab…");
        assertThat(PrintableText.escaped("ab" + SHIP + "c", 4)).isEqualTo("ab" + SHIP + "…");
        assertThat(PrintableText.oneLine("  ab" + SHIP + "c\n", 3)).isEqualTo("ab…");

        // An entry name whose 200th character is the pair's first half, as an archive's refusal quotes it.
        String quoted = EntryNames.printable("a".repeat(199) + SHIP + ".tf");
        assertThat(quoted).isEqualTo("a".repeat(199) + "…");
        assertThat(new String(quoted.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).as("as a UTF-8 log writes it")
                .isEqualTo(quoted);
    }

    @Test
    void aTextWithinItsBoundIsKeptWholeEscaped() {
        assertThat(PrintableText.escaped(SHIP + "\u001b[2J\u202e", 7)).isEqualTo(SHIP + "\\x1b[2J\\u202e");
        assertThat(PrintableText.oneLine("a\r\n\tb", 3)).isEqualTo("a b");
    }

    /** Format characters beyond U+FFFF (a tag character hides text) and half a pair alone are escaped as the others are. */
    @Test
    void aFormatCharacterBeyondU0000ffffAndHalfAPairAloneAreEscaped() {
        String tags = new String(Character.toChars(0xE0001)) + new String(Character.toChars(0xE0041));
        assertThat(PrintableText.escaped("a" + tags + "b")).isEqualTo("a\\U000e0001\\U000e0041b");
        assertThat(PrintableText.escaped("a\ud83db\ude80")).isEqualTo("a\\ud83db\\ude80");
        assertThat(PrintableText.escaped(SHIP + "\u00e9\u4e2d")).isEqualTo(SHIP + "\u00e9\u4e2d");
    }
}
