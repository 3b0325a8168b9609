package dev.wharf.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.wharf.http.AccessLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.event.KeyValuePair;

/**
 * boring-registry's {@code --json} lines, shaped as Go's slog writes them: {@code time},
 * {@code level}, {@code msg} with its arguments filled in, then every key-value pair the call
 * attached as a field of its own, the placeholders' arguments as {@code args}, and {@code error}
 * with the stack trace when there is one.
 */
public final class JsonLinesEncoder extends LineEncoder {
    private static final Set<String> RESERVED = Set.of("time", "level", "logger", "msg", "args", "error");
    private final JsonFactory json = new JsonFactory();

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("logger", event.getLoggerName());
            g.writeStringField("msg", event.getFormattedMessage());
            AccessLine access = AccessEvents.line(event);
            if (access != null) {
                // Its fields are the line's content; its one argument is the line itself, not written twice as args.
                access.writeFields(new GeneratorFields(g));
            }
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair pair : event.getKeyValuePairs()) {
                    writeValue(g, field(pair.key), pair.value);
                }
            }
            Object[] args = event.getArgumentArray();
            if (access == null && args != null && args.length > 0) {
                g.writeArrayFieldStart("args");
                for (Object arg : args) {
                    if (arg instanceof Integer || arg instanceof Long) {
                        g.writeNumber(((Number) arg).longValue());
                    } else {
                        g.writeString(String.valueOf(arg));
                    }
                }
                g.writeEndArray();
            }
            if (event.getThrowableProxy() != null) {
                g.writeStringField("error", ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static String field(String key) {
        return RESERVED.contains(key) ? "field." + key : key;
    }

    /** An access line's fields, written as the key-value pairs of any other line are. */
    private record GeneratorFields(JsonGenerator g) implements AccessLine.FieldWriter {
        @Override
        public void text(String key, @Nullable String value) {
            try {
                writeValue(g, field(key), value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void number(String key, long value) {
            try {
                g.writeNumberField(field(key), value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void writeValue(JsonGenerator g, String key, @Nullable Object value) throws IOException {
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            g.writeNumberField(key, ((Number) value).longValue());
        } else if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
            g.writeNumberField(key, n.doubleValue());
        } else if (value instanceof Boolean b) {
            g.writeBooleanField(key, b);
        } else if (value == null) {
            g.writeNullField(key);
        } else {
            g.writeStringField(key, value.toString());
        }
    }
}
