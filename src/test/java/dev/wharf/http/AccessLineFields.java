package dev.wharf.http;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What an access event gives a JSON log as fields, in order: text as strings, numbers as longs. */
final class AccessLineFields {
    private AccessLineFields() {
    }

    static Map<String, @Nullable Object> of(ILoggingEvent event) {
        Object[] args = event.getArgumentArray();
        if (args == null || args.length != 1 || !(args[0] instanceof AccessLine line)) {
            throw new AssertionError("not an access event: " + event);
        }
        Map<String, @Nullable Object> fields = new LinkedHashMap<>();
        line.writeFields(new AccessLine.FieldWriter() {
            @Override
            public void text(String key, @Nullable String value) {
                fields.put(key, value);
            }

            @Override
            public void number(String key, long value) {
                fields.put(key, value);
            }
        });
        return fields;
    }
}
