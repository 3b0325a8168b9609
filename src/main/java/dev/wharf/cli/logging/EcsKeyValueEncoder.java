package dev.wharf.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import co.elastic.logging.logback.EcsEncoder;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * Elastic's ECS encoder, which writes the MDC but not SLF4J's key-value pairs, taught to write
 * those too, as typed fields: the access log's {@code http.response.code} stays a number.
 */
public final class EcsKeyValueEncoder extends EcsEncoder {
    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

    @Override
    protected void addCustomFields(ILoggingEvent event, StringBuilder builder) {
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs == null) {
            return;
        }
        // Grown once here rather than a few characters at a time by every append below.
        builder.ensureCapacity(builder.length() + 64 * pairs.size());
        for (KeyValuePair pair : pairs) {
            builder.append('"');
            quote(pair.key, builder);
            builder.append("\":");
            Object value = pair.value;
            if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Boolean) {
                builder.append(value);
            } else if (value == null) {
                builder.append("null");
            } else {
                builder.append('"');
                quote(value.toString(), builder);
                builder.append('"');
            }
            builder.append(',');
        }
    }

    /**
     * Jackson's JSON quoting, skipped for the usual text that needs none: Jackson appends through its
     * own buffer, which under figure 1's load made this method half of each access line's cost
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
