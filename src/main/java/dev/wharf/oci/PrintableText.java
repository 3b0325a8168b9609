package dev.wharf.oci;

/**
 * Text another server sent (an answer's body, a header), made safe to print in a message to a
 * terminal or a log. Such text is not ours: a line break in it would start a line this program
 * never wrote, and an ANSI escape could clear the screen or recolour what follows. Kept here, below
 * both protocols, since boring-registry's and package-registry's publish clients both quote answers.
 */
public final class PrintableText {
    private PrintableText() {
    }

    /**
     * {@code text} on one line (line breaks and tabs as one space), {@link #escaped escaped}, cut at
     * {@code max} characters with "…".
     */
    public static String oneLine(String text, int max) {
        return escaped(joined(text), max);
    }

    /** {@code text} stripped, each run of line breaks and tabs in it one space. */
    private static String joined(String text) {
        return text.strip().replaceAll("[\\r\\n\\t]+", " ");
    }

    /**
     * {@code text} {@link #escaped escaped} and cut at {@code max} characters with "…", its line breaks
     * kept visible rather than joined: for a name quoted in a message (an archive's entry), where
     * "a\nb" and "a b" are different names, and a name of any length must still make a short line.
     */
    public static String escaped(String text, int max) {
        return text.length() > max ? escaped(cut(text, max)) + "…" : escaped(text);
    }

    /**
     * The first {@code max} characters of {@code text} (which is longer), or one fewer where the cut would fall
     * inside a surrogate pair (an emoji, a CJK extension character): its first half alone is not UTF-16 at all,
     * and a log's encoder writes it as '?', a strict JSON reader as U+FFFD.
     */
    private static String cut(String text, int max) {
        boolean insidePair = max > 0 && Character.isHighSurrogate(text.charAt(max - 1)) && Character.isLowSurrogate(text.charAt(max));
        return text.substring(0, insidePair ? max - 1 : max);
    }

    /**
     * A message Wharf wrote, whose quotes of others' text are {@link #escaped escaped} already (a reason a page
     * shows), as {@link #oneLine}: on one line, its control and invisible format characters escaped in case a quote
     * was not, cut at {@code max} characters with "…"; but its backslashes kept, since doubling them would double
     * every escape its quotes hold: a right-to-left override quoted as a backslash, "u" and "202e" would show with
     * two backslashes.
     */
    public static String ownLine(String text, int max) {
        String line = joined(text);
        return line.length() > max ? escaped(cut(line, max), false) + "…" : escaped(line, false);
    }

    /**
     * {@code text} with a backslash as two, its control characters as {@code \xNN}, its C1 and invisible
     * format characters (such as a right-to-left override) as a backslash, "u" and four hex digits, those
     * beyond U+FFFF (the tag characters U+E0001 to U+E007F, which hide text) as a backslash, "U" and eight,
     * and half a surrogate pair standing alone, which is no text at all, as its four. Read by code point: a
     * character beyond U+FFFF is two UTF-16 units, neither of which is a format character by itself. The
     * backslash is doubled so that an escape is only ever one: a name holding the six characters
     * {@code \x0a} had quoted as one holding a line break.
     */
    public static String escaped(String text) {
        return escaped(text, true);
    }

    private static String escaped(String text, boolean backslash) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            int type = Character.getType(c);
            if (c == '\\' && backslash) {
                out.append("\\\\");
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else if ((c > 0x7f && c < 0xa0) || type == Character.FORMAT || type == Character.SURROGATE) {
                out.append(c > 0xffff ? String.format("\\U%08x", c) : String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        }
        return out.toString();
    }
}
