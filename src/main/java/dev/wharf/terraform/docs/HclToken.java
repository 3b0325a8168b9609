package dev.wharf.terraform.docs;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One token of HCL native syntax. A quoted string or heredoc is one token however many
 * interpolations it holds; {@code literal} is its text when it has none (escapes applied), else null.
 * A quoted string with a template has {@code parts}: its literal pieces and the source of each
 * {@code ${…}} and {@code %{…}} (strip markers kept), in order; a heredoc's literal text split
 * after each newline, an indented one's indentation taken off (none when it has strip markers).
 *
 * @param start offset of the token's first character in the file
 * @param end offset just past its last character
 */
record HclToken(Kind kind, String text, @Nullable String literal, List<TemplatePart> parts, int start, int end, int line) {
    HclToken(Kind kind, String text, @Nullable String literal, int start, int end, int line) {
        this(kind, text, literal, List.of(), start, end, line);
    }

    HclToken {
        parts = List.copyOf(parts);
    }

    /** A piece of a quoted template: literal text, or the source inside one {@code ${…}} or (a {@code directive}) {@code %{…}}. */
    record TemplatePart(String text, boolean interpolation, boolean directive) {
        TemplatePart(String text, boolean interpolation) {
            this(text, interpolation, false);
        }
    }

    enum Kind { IDENT, NUMBER, STRING, PUNCT, NEWLINE, EOF }

    boolean is(Kind k, String t) {
        return kind == k && text.equals(t);
    }

    boolean punct(String t) {
        return is(Kind.PUNCT, t);
    }
}
