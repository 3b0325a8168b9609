package dev.wharf.terraform.upload;

import dev.wharf.oci.IoFailures;
import dev.wharf.oci.PrintableText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code boring-registry.hcl}: one {@code metadata { key = "value" … }} block. Enough HCL for
 * that file and no more: {@code #}, {@code //} and {@code /* *}{@code /} comments, quoted strings
 * with escapes, newlines or commas between attributes. Every error names the file and line.
 */
public final class ModuleSpecReader {
    public static final String FILE_NAME = "boring-registry.hcl";
    private static final Set<String> KEYS = Set.of("namespace", "name", "provider", "version");

    /**
     * Reads the spec file, which must be a regular file of the module: a symbolic link is refused
     * before it is opened, so no error can quote a file outside the module (a link to
     * {@code /etc/shadow} would otherwise have its first word in the parse error).
     */
    public ModuleSpec read(Path file) {
        if (Files.isSymbolicLink(file)) {
            throw new UploadException(file + " is a symbolic link; " + FILE_NAME
                    + " is read only as a regular file of the module, never through a link");
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UploadException(IoFailures.cannotRead(file, e));
        }
    }

    public ModuleSpec parse(String text, String source) {
        Lexer lexer = new Lexer(text, source);
        Map<String, String> values = null;
        for (Lexer.Token t = lexer.next(); t != null; t = lexer.next()) {
            if (!t.isWord()) {
                throw lexer.error(t.line(), "expected a block name, found '" + t.text() + "'");
            }
            if (!t.text().equals("metadata")) {
                throw lexer.error(t.line(), "unknown block '" + t.text() + "' (only 'metadata' is read)");
            }
            if (values != null) {
                throw lexer.error(t.line(), "a second 'metadata' block");
            }
            lexer.expect("{", "after 'metadata'");
            values = attributes(lexer);
        }
        if (values == null) {
            throw new UploadException(source + ": no 'metadata' block");
        }
        for (String key : new String[] {"namespace", "name", "provider"}) {
            String value = values.get(key);
            if (value == null || value.isBlank()) {
                throw new UploadException(source + ": metadata lacks '" + key + "'");
            }
        }
        return new ModuleSpec(Objects.requireNonNull(values.get("namespace")), Objects.requireNonNull(values.get("name")),
                Objects.requireNonNull(values.get("provider")),
                Optional.ofNullable(values.get("version")).filter(v -> !v.isBlank()));
    }

    /** A token of the publisher's file as an error quotes it: escaped and cut, as every quote of the publisher's text is. */
    private static String quoted(String token) {
        return PrintableText.escaped(token, 200);
    }

    private static Map<String, String> attributes(Lexer lexer) {
        Map<String, String> values = new LinkedHashMap<>();
        while (true) {
            Lexer.Token key = lexer.next();
            if (key == null) {
                throw lexer.error(lexer.line(), "the 'metadata' block is not closed with '}'");
            }
            if (key.text().equals("}") && !key.quoted()) {
                return values;
            }
            if (key.text().equals(",") && !key.quoted()) {
                continue;
            }
            if (!key.isWord()) {
                throw lexer.error(key.line(), "expected an attribute name, found '" + quoted(key.text()) + "'");
            }
            if (!KEYS.contains(key.text())) {
                throw lexer.error(key.line(), "unknown attribute '" + key.text() + "' (expected namespace, name, provider, version)");
            }
            lexer.expect("=", "after '" + key.text() + "'");
            Lexer.Token value = lexer.next();
            if (value == null || !value.quoted()) {
                throw lexer.error(key.line(), "'" + key.text() + "' needs a quoted string value");
            }
            if (values.put(key.text(), value.text()) != null) {
                throw lexer.error(key.line(), "'" + key.text() + "' is set twice");
            }
        }
    }

    /** Splits the text into words, quoted strings and the punctuation { } = , — skipping comments. */
    private static final class Lexer {
        record Token(String text, boolean quoted, int line) {
            boolean isWord() {
                return !quoted && !text.isEmpty() && (Character.isLetter(text.charAt(0)) || text.charAt(0) == '_');
            }
        }

        private final String text;
        private final String source;
        private int pos;
        private int line = 1;

        Lexer(String text, String source) {
            // HCL drops a leading UTF-8 byte order mark (hclsyntax stripUTF8BOM), which editors on
            // Windows write; refusing it failed on a character no one can see.
            this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
            this.source = source;
        }

        int line() {
            return line;
        }

        UploadException error(int at, String message) {
            return new UploadException(source + " line " + at + ": " + message);
        }

        void expect(String punctuation, String where) {
            Token t = next();
            if (t == null || t.quoted() || !t.text().equals(punctuation)) {
                throw error(t == null ? line : t.line(), "expected '" + punctuation + "' " + where
                        + (t == null ? ", found the end of the file" : ", found '" + quoted(t.text()) + "'"));
            }
        }

        @Nullable Token next() {
            skipSpaceAndComments();
            if (pos >= text.length()) {
                return null;
            }
            char c = text.charAt(pos);
            int start = line;
            if (c == '"') {
                return string(start);
            }
            if (c == '{' || c == '}' || c == '=' || c == ',') {
                pos++;
                return new Token(String.valueOf(c), false, start);
            }
            int begin = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_' || text.charAt(pos) == '-')) {
                pos++;
            }
            if (begin == pos) {
                throw error(line, "unexpected character " + shown(text.codePointAt(pos)));
            }
            return new Token(text.substring(begin, pos), false, start);
        }

        /**
         * A character as an error shows it: quoted as every quote of the publisher's text is ({@link PrintableText#escaped}),
         * and by its code point, which names one that cannot be seen (a no-break space) where the quote cannot.
         */
        private static String shown(int codePoint) {
            return "'" + PrintableText.escaped(Character.toString(codePoint)) + "' (" + String.format("U+%04X", codePoint) + ")";
        }

        private Token string(int start) {
            StringBuilder out = new StringBuilder();
            pos++;
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return new Token(out.toString(), true, start);
                }
                if (c == '\n') {
                    throw error(start, "string not closed before the end of the line");
                }
                if (c == '\\' && pos < text.length()) {
                    char e = text.charAt(pos++);
                    switch (e) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case '"' -> out.append('"');
                        case '\\' -> out.append('\\');
                        default -> throw error(start, "unknown escape '" + PrintableText.escaped("\\" + e) + "' in a string");
                    }
                } else {
                    out.append(c);
                }
            }
            throw error(start, "string not closed");
        }

        private void skipSpaceAndComments() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '\n') {
                    line++;
                    pos++;
                } else if (Character.isWhitespace(c)) {
                    pos++;
                } else if (c == '#' || text.startsWith("//", pos)) {
                    while (pos < text.length() && text.charAt(pos) != '\n') {
                        pos++;
                    }
                } else if (text.startsWith("/*", pos)) {
                    int end = text.indexOf("*/", pos + 2);
                    if (end < 0) {
                        throw error(line, "comment '/*' not closed");
                    }
                    for (int i = pos; i < end; i++) {
                        if (text.charAt(i) == '\n') {
                            line++;
                        }
                    }
                    pos = end + 2;
                } else {
                    return;
                }
            }
        }
    }
}
