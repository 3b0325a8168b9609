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

    /**
     * A name holding the six characters backslash, x, 0, a (or backslash, u, 2, 0, 2, e) is not one holding a line break
     * (or a right-to-left override): a backslash is doubled, so every single one in a quote begins an escape.
     */
    @Test
    void aBackslashIsDoubledSoATextSpellingAnEscapeIsNotQuotedAsTheCharacterItNames() {
        assertThat(PrintableText.escaped("a\\x0ab")).isEqualTo("a\\\\x0ab");
        assertThat(PrintableText.escaped("a\nb")).isEqualTo("a\\x0ab");
        assertThat(PrintableText.escaped("\\u202e")).isEqualTo("\\\\u202e").isNotEqualTo(PrintableText.escaped("\u202e"));
        assertThat(PrintableText.oneLine("C:\\dir\\\n", 100)).isEqualTo("C:\\\\dir\\\\");
        assertThat(EntryNames.printable("..\\x0a")).isEqualTo("..\\\\x0a");
    }

    /** A message of Wharf's (a page's reason) keeps the escapes of the quotes it holds single, and escapes what a quote left. */
    @Test
    void aMessageOfWharfsQuotingAnEscapedNameKeepsItsEscapesSingle() {
        String message = "entry '" + EntryNames.printable("a\u202eb\\c") + "' is refused";
        assertThat(message).isEqualTo("entry 'a\\u202eb\\\\c' is refused");
        assertThat(PrintableText.ownLine(message, 100)).isEqualTo(message);
        assertThat(PrintableText.ownLine(" a\u202eb\n\u001bc ", 100)).isEqualTo("a\\u202eb \\x1bc");
        assertThat(PrintableText.ownLine("ab" + SHIP + "c", 3)).isEqualTo("ab…");
    }
}
