package dev.wharf.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Context;
import co.elastic.logging.EcsJsonSerializer;
import co.elastic.logging.JsonUtils;
import dev.wharf.http.AccessLine;
import java.util.List;

/**
 * package-registry's access log in ECS: the line {@link EcsKeyValueEncoder} writes, built straight
 * into the batch being written. Elastic's encoder builds each line in a builder of its own, makes a
 * string of it and then its bytes, and quotes the message a character at a time; at figure 1's load
 * that was most of what the access log's writer spent, a fifth of package-registry's CPU
 * (bench/RESULTS.md, session 28).
 *
 * <p>The line is made by the same serializer calls, in the same order, as that encoder makes it
 * with the two settings package-registry gives it (the service's name and version); a test holds
 * the two byte for byte equal. Events that are not access lines, or carry a throwable, go to that
 * encoder.
 */
public final class EcsAccessLineEncoder extends LineEncoder {
    private final EcsKeyValueEncoder others = new EcsKeyValueEncoder();
    private final String serviceName;
    private final String serviceVersion;
    private final String eventDataset;
    /** The message before it is quoted; only the access log's one writer thread calls {@link #encodeInto}. */
    private final StringBuilder message = new StringBuilder(256);

    public EcsAccessLineEncoder(String serviceName, String serviceVersion) {
        this.serviceName = serviceName;
        this.serviceVersion = serviceVersion;
        this.eventDataset = EcsJsonSerializer.computeEventDataset(null, serviceName);
        others.setServiceName(serviceName);
        others.setServiceVersion(serviceVersion);
    }

    @Override
    public void setContext(Context context) {
        super.setContext(context);
        others.setContext(context);
    }

    @Override
    public void start() {
        others.start();
        super.start();
    }

    @Override
    public void stop() {
        super.stop();
        others.stop();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return others.encode(event);
    }

    @Override
    void encodeInto(ILoggingEvent event, LineBatch batch) {
        AccessLine access = AccessEvents.line(event);
        if (access == null || event.getThrowableProxy() != null) {
            batch.add(others.encode(event));
            return;
        }
        StringBuilder line = batch.line();
        EcsJsonSerializer.serializeObjectStart(line, event.getTimeStamp());
        EcsJsonSerializer.serializeLogLevel(line, event.getLevel().toString());
        message.setLength(0);
        access.appendTo(message);
        line.append("\"message\":\"");
        quote(message, line);
        line.append("\",");
        EcsJsonSerializer.serializeEcsVersion(line);
        EcsJsonSerializer.serializeServiceName(line, serviceName);
        EcsJsonSerializer.serializeServiceVersion(line, serviceVersion);
        EcsJsonSerializer.serializeServiceEnvironment(line, null);
        EcsJsonSerializer.serializeServiceNodeName(line, null);
        EcsJsonSerializer.serializeEventDataset(line, eventDataset);
        EcsJsonSerializer.serializeThreadName(line, event.getThreadName());
        EcsJsonSerializer.serializeLoggerName(line, event.getLoggerName());
        EcsJsonSerializer.serializeAdditionalFields(line, List.of());
        EcsJsonSerializer.serializeMDC(line, event.getMDCPropertyMap());
        access.writeFields(new EcsFieldWriter(line));
        EcsJsonSerializer.serializeObjectEnd(line);
        // UTF-8, as Elastic's encoder writes.
        batch.addUtf8Line();
    }

    /**
     * Quotes {@code text} as Elastic's serializer quotes a message: runs of printable ASCII that need
     * no escape are appended whole, a quote or backslash gets its backslash, and every other
     * character goes through the serializer's own quoting, which works a character at a time, so the
     * result is the same (a test compares the two).
     */
    static void quote(CharSequence text, StringBuilder out) {
        int run = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append(text, run, i).append('\\').append(c);
                run = i + 1;
            } else if (c < 0x20 || c >= 0x7f) {
                out.append(text, run, i);
                JsonUtils.quoteAsString(text, i, i + 1, out);
                run = i + 1;
            }
        }
        out.append(text, run, length);
    }
}
