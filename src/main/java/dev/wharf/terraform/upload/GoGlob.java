package dev.wharf.terraform.upload;

import java.util.regex.Pattern;

/**
 * One path segment of an exclude pattern, matched as Go's {@code filepath.Match} matches it (which
 * boring-registry's gitignore matcher calls): {@code *} any run of characters, {@code ?} one,
 * {@code [a-z0-9]} / {@code [^…]} a character class, {@code \} taking the next character as it is.
 * Go reports a malformed pattern only while matching, and the gitignore matcher then treats it as
 * matching nothing, so {@code --exclude 'test[0-9'} silently archived everything: here it is refused
 * up front, saying what is wrong.
 */
final class GoGlob {
    private final String text;
    private int at;

    private GoGlob(String text) {
        this.text = text;
    }

    /** {@code segment} (no {@code /}) as a regular expression matching a whole file or directory name. */
    static Pattern compile(String segment) {
        return Pattern.compile(new GoGlob(segment).regex(), Pattern.DOTALL);
    }

    private String regex() {
        StringBuilder out = new StringBuilder();
        while (at < text.length()) {
            int c = next();
            switch (c) {
                case '*' -> out.append("[^/]*");
                case '?' -> out.append("[^/]");
                case '[' -> out.append(characterClass());
                case '\\' -> {
                    if (at == text.length()) {
                        throw bad("ends with a '\\' that escapes nothing");
                    }
                    out.append(literal(next()));
                }
                default -> out.append(literal(c));
            }
        }
        return out.toString();
    }

    /** After the '[': items up to the ']', each a character or a range {@code lo-hi}, as Go's matchChunk reads them. */
    private String characterClass() {
        boolean negated = at < text.length() && text.charAt(at) == '^';
        if (negated) {
            at++;
        }
        StringBuilder items = new StringBuilder();
        int count = 0;
        while (true) {
            if (at < text.length() && text.charAt(at) == ']' && count > 0) {
                at++;
                break;
            }
            int lo = classCharacter();
            int hi = lo;
            if (text.charAt(at) == '-') {
                at++;
                hi = classCharacter();
            }
            // Go accepts a reversed range and it matches nothing; a Java class would refuse it.
            if (lo <= hi) {
                items.append(literal(lo)).append('-').append(literal(hi));
            }
            count++;
        }
        if (items.isEmpty()) {
            return negated ? "[^/]" : "(?!)";
        }
        return "[" + (negated ? "^" : "") + items + "]";
    }

    /** Go's getEsc: a character of a class, '\' escaping the next, and something must follow it (at least the ']'). */
    private int classCharacter() {
        if (at == text.length()) {
            throw bad("has a '[' without its ']'");
        }
        char first = text.charAt(at);
        if (first == '-' || first == ']') {
            throw bad("has a character class with '" + first + "' where a character is expected (write \\" + first + ")");
        }
        if (first == '\\') {
            at++;
            if (at == text.length()) {
                throw bad("has a '[' without its ']'");
            }
        }
        int c = next();
        if (at == text.length()) {
            throw bad("has a '[' without its ']'");
        }
        return c;
    }

    private int next() {
        int c = text.codePointAt(at);
        at += Character.charCount(c);
        return c;
    }

    private static String literal(int codePoint) {
        return "\\x{" + Integer.toHexString(codePoint) + "}";
    }

    private IllegalArgumentException bad(String what) {
        return new IllegalArgumentException("'" + text + "' " + what);
    }
}
