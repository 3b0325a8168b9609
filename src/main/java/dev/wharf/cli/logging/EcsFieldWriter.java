package dev.wharf.cli.logging;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.wharf.http.AccessLine;
import org.jspecify.annotations.Nullable;

/**
 * Writes fields into an ECS line being built, each followed by a comma as the ECS encoder's own
 * fields are: numbers as JSON numbers, text quoted as Jackson quotes it, null as {@code null}.
 */
final class EcsFieldWriter implements AccessLine.FieldWriter {
    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();
    private final StringBuilder line;

    EcsFieldWriter(StringBuilder line) {
        this.line = line;
    }

    @Override
    public void text(String key, @Nullable String value) {
        key(key);
        if (value == null) {
            line.append("null");
        } else {
            line.append('"');
            quote(value, line);
            line.append('"');
        }
        line.append(',');
    }

    @Override
    public void number(String key, long value) {
        key(key);
        line.append(value).append(',');
    }

    /** Any other value a key-value pair carries: integers and booleans as they are, the rest as its text. */
    void value(String key, @Nullable Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Boolean) {
            key(key);
            line.append(value).append(',');
        } else {
            text(key, value == null ? null : value.toString());
        }
    }

    private void key(String key) {
        line.append('"');
        quote(key, line);
        line.append("\":");
    }

    /**
     * Jackson's JSON quoting, skipped for the usual text that needs none: Jackson appends through its
     * own buffer, which under figure 1's load made quoting half of each access line's cost
     * (bench/RESULTS.md, session 9).
     */
    static void quote(String text, StringBuilder builder) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7f) {
                QUOTE.quoteAsString(text, builder);
                return;
            }
        }
        builder.append(text);
    }
}
