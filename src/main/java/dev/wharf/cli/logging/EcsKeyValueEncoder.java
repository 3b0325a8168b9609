package dev.wharf.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import co.elastic.logging.logback.EcsEncoder;
import dev.wharf.http.AccessLine;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * Elastic's ECS encoder, which writes the MDC but not SLF4J's key-value pairs, taught to write
 * those too, as typed fields (the access log's {@code http.response.code} stays a number), and an
 * access line's fields ({@link AccessLine}) likewise.
 */
public final class EcsKeyValueEncoder extends EcsEncoder {
    @Override
    protected void addCustomFields(ILoggingEvent event, StringBuilder builder) {
        EcsFieldWriter fields = new EcsFieldWriter(builder);
        AccessLine access = AccessEvents.line(event);
        if (access != null) {
            access.writeFields(fields);
        }
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs == null) {
            return;
        }
        // Grown once here rather than a few characters at a time by every append below.
        builder.ensureCapacity(builder.length() + 64 * pairs.size());
        for (KeyValuePair pair : pairs) {
            fields.value(pair.key, pair.value);
        }
    }
}
