package dev.wharf.terraform.docs;

import dev.wharf.oci.PrintableText;
import dev.wharf.terraform.docs.HclToken.Kind;
import dev.wharf.terraform.docs.HclToken.TemplatePart;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Splits HCL native syntax into tokens as HashiCorp's scanner does for the parts a module's
 * documentation needs: comments ({@code #}, {@code //}, block), quoted strings with escapes and
 * nested {@code ${…}}/{@code %{…}} templates, heredocs ({@code <<EOT} and the indented
 * {@code <<-EOT}), numbers, identifiers (which may hold '-'), and operators. Newlines are tokens,
 * because they end an attribute.
 */
final class HclLexer {
    private static final String[] OPERATORS = {"...", "==", "!=", "<=", ">=", "=>", "&&", "||"};
    private static final String SINGLE = "{}[](),=:?.!+-*/%<>";

    private final String src;
    private int pos;
    private int line = 1;
    /** Strings within ${…} within strings, each a level of recursion: bounded as blocks are. */
    private int templateDepth;

    private HclLexer(String src) {
        this.src = src;
    }

    static List<HclToken> tokens(String src) throws HclSyntaxException {
        return new HclLexer(src).all();
    }

    private List<HclToken> all() throws HclSyntaxException {
        List<HclToken> out = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            if (pos >= src.length()) {
                out.add(new HclToken(Kind.EOF, "", null, pos, pos, line));
                return out;
            }
            out.add(next());
        }
    }

    private HclToken next() throws HclSyntaxException {
        int start = pos;
        char c = src.charAt(pos);
        if (c == '\n') {
            pos++;
            return new HclToken(Kind.NEWLINE, "\n", null, start, pos, line++);
        }
        if (c == '"') {
            int at = line;
            List<TemplatePart> parts = new ArrayList<>();
            String literal = quoted(parts);
            return new HclToken(Kind.STRING, src.substring(start, pos), literal, literal == null ? parts : List.of(), start, pos, at);
        }
        if (HeredocText.startsAt(src, pos)) {
            HeredocText heredoc = HeredocText.read(src, pos, line);
            pos = heredoc.end();
            List<TemplatePart> parts = heredoc.literal() == null ? HeredocText.flushed(new HclLexer(heredoc.body()).templateBody(), heredoc.flush()) : null;
            HclToken token = new HclToken(Kind.STRING, src.substring(start, pos), heredoc.literal(), parts == null ? List.of() : parts, start, pos, line);
            line += heredoc.lines();
            return token;
        }
        if (Character.isDigit(c)) {
            return number(start);
        }
        if (Character.isLetter(c) || c == '_') {
            while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_' || src.charAt(pos) == '-')) {
                pos++;
            }
            return new HclToken(Kind.IDENT, src.substring(start, pos), null, start, pos, line);
        }
        for (String op : OPERATORS) {
            if (src.startsWith(op, pos)) {
                pos += op.length();
                return new HclToken(Kind.PUNCT, op, null, start, pos, line);
            }
        }
        if (SINGLE.indexOf(c) >= 0) {
            pos++;
            return new HclToken(Kind.PUNCT, String.valueOf(c), null, start, pos, line);
        }
        throw new HclSyntaxException(line, "unexpected character '" + printableAt(start) + "'");
    }

    private void skipSpaceAndComments() throws HclSyntaxException {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\uFEFF') {
                pos++;
            } else if (c == '#' || src.startsWith("//", pos)) {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (src.startsWith("/*", pos)) {
                int end = src.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw new HclSyntaxException(line, "a /* comment is never closed");
                }
                line += count(src.substring(pos, end), '\n');
                pos = end + 2;
            } else {
                return;
            }
        }
    }

    private HclToken number(int start) {
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
            pos++;
        }
        if (pos + 1 < src.length() && src.charAt(pos) == '.' && Character.isDigit(src.charAt(pos + 1))) {
            pos++;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                pos++;
            }
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int mark = pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = mark;
            }
        }
        return new HclToken(Kind.NUMBER, src.substring(start, pos), null, start, pos, line);
    }

    /**
     * Reads a quoted string from its opening quote; its literal text, or null when it holds a
     * template. Into {@code parts} go its pieces: literal text, and the source of each {@code ${…}} and {@code %{…}}.
     */
    private @Nullable String quoted(List<TemplatePart> parts) throws HclSyntaxException {
        pos++;
        StringBuilder text = new StringBuilder();
        boolean template = false;
        while (true) {
            if (pos >= src.length() || src.charAt(pos) == '\n') {
                throw new HclSyntaxException(line, "a quoted string is not closed on its line");
            }
            char c = src.charAt(pos);
            if (c == '"') {
                pos++;
                if (!template) {
                    return text.toString();
                }
                parts.add(new TemplatePart(text.toString(), false));
                return null;
            } else if (c == '\\') {
                text.append(escape());
            } else {
                Sequence read = sequence(c, text, parts);
                template |= read == Sequence.TEMPLATE;
                if (read == Sequence.NONE) {
                    text.append(c);
                    pos++;
                }
            }
        }
    }

    /** A heredoc's body as template parts: text (no escapes but {@code $${} and {@code %%{}) split after each newline, and each sequence's source. */
    private List<TemplatePart> templateBody() throws HclSyntaxException {
        List<TemplatePart> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (sequence(c, text, parts) == Sequence.NONE) {
                text.append(c);
                pos++;
                if (c == '\n') {
                    parts.add(new TemplatePart(text.toString(), false));
                    text.setLength(0);
                }
            }
        }
        parts.add(new TemplatePart(text.toString(), false));
        return parts;
    }

    private enum Sequence { NONE, ESCAPED, TEMPLATE }

    /**
     * Reads a template sequence at {@code c}, if one starts there: {@code $${} and {@code %%{} are
     * literal text, {@code ${…}} and {@code %{…}} a part of their own after the text before them.
     */
    private Sequence sequence(char c, StringBuilder text, List<TemplatePart> parts) throws HclSyntaxException {
        if (src.startsWith("$${", pos) || src.startsWith("%%{", pos)) {
            text.append(c).append('{');
            pos += 3;
            return Sequence.ESCAPED;
        }
        if (!src.startsWith("${", pos) && !src.startsWith("%{", pos)) {
            return Sequence.NONE;
        }
        parts.add(new TemplatePart(text.toString(), false));
        text.setLength(0);
        int inner = pos + 2;
        skipTemplate();
        parts.add(new TemplatePart(src.substring(inner, pos - 1), true, c == '%'));
        return Sequence.TEMPLATE;
    }

    private String escape() throws HclSyntaxException {
        if (pos + 1 >= src.length()) {
            throw new HclSyntaxException(line, "a string ends in a lone backslash");
        }
        int at = pos + 1;
        char e = src.charAt(at);
        pos += 2;
        return switch (e) {
            case 'n' -> "\n";
            case 'r' -> "\r";
            case 't' -> "\t";
            case '"' -> "\"";
            case '\\' -> "\\";
            case 'u' -> codePoint(4);
            case 'U' -> codePoint(8);
            default -> throw new HclSyntaxException(line, "a backslash followed by '" + printableAt(at) + "' is no escape HCL knows");
        };
    }

    private String codePoint(int digits) throws HclSyntaxException {
        if (pos + digits > src.length()) {
            throw new HclSyntaxException(line, "a \\u escape needs " + digits + " hexadecimal digits");
        }
        try {
            int cp = Integer.parseInt(src.substring(pos, pos + digits), 16);
            pos += digits;
            return new String(Character.toChars(cp));
        } catch (IllegalArgumentException e) {
            throw new HclSyntaxException(line, "a \\u escape needs " + digits + " hexadecimal digits");
        }
    }

    /** Skips a {@code ${…}} or {@code %{…}} sequence, strings and braces inside it included. */
    private void skipTemplate() throws HclSyntaxException {
        int opened = line;
        if (++templateDepth > HclParser.MAX_NESTING) {
            throw new HclSyntaxException(opened, "${ sequences nested more than " + HclParser.MAX_NESTING + " deep");
        }
        try {
            skipTemplateBody(opened);
        } finally {
            templateDepth--;
        }
    }

    private void skipTemplateBody(int opened) throws HclSyntaxException {
        pos += 2;
        int depth = 1;
        while (depth > 0) {
            skipSpaceAndComments();
            if (pos >= src.length()) {
                throw new HclSyntaxException(opened, "a ${ or %{ sequence is never closed");
            }
            char c = src.charAt(pos);
            if (c == '"') {
                quoted(new ArrayList<>());
            } else if (c == '{') {
                depth++;
                pos++;
            } else if (c == '}') {
                depth--;
                pos++;
            } else {
                if (c == '\n') {
                    line++;
                }
                pos++;
            }
        }
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    /**
     * The publisher's character at {@code at} as a note quotes it: whole (both halves of an emoji, where one half
     * alone is not text) and escaped as every quote of the publisher's text is ({@link PrintableText#escaped}), so
     * a right-to-left override or another invisible format character (U+202E, U+2066) cannot turn the rest of the
     * note round in a terminal or a log, nor a control character reach them.
     */
    private String printableAt(int at) {
        return PrintableText.escaped(Character.toString(src.codePointAt(at)));
    }
}
