package dev.wharf.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import co.elastic.logging.logback.EcsEncoder;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.slf4j.event.KeyValuePair;

/**
 * Elastic's ECS encoder, which writes the MDC but not SLF4J's key-value pairs, taught to write
 * those too, as typed fields: the access log's {@code http.response.code} stays a number.
 */
public final class EcsKeyValueEncoder extends EcsEncoder {
    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

    @Override
    protected void addCustomFields(ILoggingEvent event, StringBuilder builder) {
        if (event.getKeyValuePairs() == null) {
            return;
        }
        for (KeyValuePair pair : event.getKeyValuePairs()) {
            builder.append('"');
            QUOTE.quoteAsString(pair.key, builder);
            builder.append("\":");
            Object value = pair.value;
            if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Boolean) {
                builder.append(value);
            } else if (value == null) {
                builder.append("null");
            } else {
                builder.append('"');
                QUOTE.quoteAsString(value.toString(), builder);
                builder.append('"');
            }
            builder.append(',');
        }
    }
}
