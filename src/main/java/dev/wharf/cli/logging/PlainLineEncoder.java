package dev.wharf.cli.logging;

import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import dev.wharf.http.AccessLine;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The plain text lines both programs write, byte for byte what logback's pattern layout made of
 * {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{20} %msg%n} (boring-registry) or
 * {@code %d{HH:mm:ss.SSS} %-5level %logger{20} %msg%n} (package-registry's {@code -log-type dev}),
 * a stack trace after the line as the layout adds it. Written out because the layout's converter
 * table and pattern compiler, and the date pattern's formatter, cost every start about 30 ms of
 * its main thread (bench/RESULTS.md, session 15).
 */
public final class PlainLineEncoder extends LineEncoder {
    /** How much of the time a line starts with. */
    public enum Stamp {
        /** {@code 2026-12-02T07:18:03.123+01:00}, {@code Z} at UTC. */
        DATE_TIME_OFFSET,
        /** {@code 07:18:03.123}, local time. */
        TIME_OF_DAY
    }

    private static final int LOGGER_LENGTH = 20;
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** Logger names are a fixed set; a bound keeps a program that makes names at will from growing this. */
    private static final int MAX_ABBREVIATIONS = 4096;

    private final Stamp stamp;
    private final ZoneRules zone;
    private final TargetLengthBasedClassNameAbbreviator abbreviator = new TargetLengthBasedClassNameAbbreviator(LOGGER_LENGTH);
    private final Map<String, String> abbreviations = new ConcurrentHashMap<>();
    /** The second the last line was written in, formatted: lines come many to a second (the access log). */
    private volatile Second last = new Second(Long.MIN_VALUE, "", "");

    private record Second(long epochSecond, String beforeMillis, String afterMillis) {
    }

    /** In the system's time zone. */
    public PlainLineEncoder(Stamp stamp) {
        this(stamp, ZoneId.systemDefault());
    }

    public PlainLineEncoder(Stamp stamp, ZoneId zone) {
        this.stamp = stamp;
        this.zone = zone.getRules();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        // "null" for a null message, as the layout wrote it.
        String message = String.valueOf(event.getFormattedMessage());
        // Sized for the whole line (time, level, logger, newline: under 64 characters before the message):
        // grown from a fixed 128, an access line was copied once more (8 % of a ready answer's allocation).
        StringBuilder line = new StringBuilder(64 + message.length());
        append(line, event, message);
        // The platform's charset, as the layout's encoder used when none was set.
        return line.toString().getBytes();
    }

    /**
     * The same line, built in the batch's own builder and copied into its bytes: no array of the
     * line's own. An access line ({@link AccessLine}, the lone argument of "{}") is appended as it is
     * made, without its message as a string first.
     */
    @Override
    void encodeInto(ILoggingEvent event, LineBatch batch) {
        StringBuilder line = batch.line();
        AccessLine access = AccessEvents.line(event);
        if (access != null) {
            appendBeforeMessage(line, event);
            access.appendTo(line);
            appendAfterMessage(line, event);
        } else {
            append(line, event, String.valueOf(event.getFormattedMessage()));
        }
        batch.addLine();
    }

    private void append(StringBuilder line, ILoggingEvent event, String message) {
        appendBeforeMessage(line, event);
        appendOneLine(line, message);
        appendAfterMessage(line, event);
    }

    /**
     * The message on one line: a message holds what clients sent (a module's coordinates, a
     * package name, a file's problem), and a line break in it would start a line this program
     * never wrote, such as a forged "201 created" in the publish audit. Line breaks and the other
     * control characters are written as escapes ({@code \n}, {@code \u0007}); a tab is kept.
     */
    static void appendOneLine(StringBuilder line, String message) {
        int first = firstControl(message);
        if (first < 0) {
            line.append(message);
            return;
        }
        line.append(message, 0, first);
        for (int i = first; i < message.length(); i++) {
            char c = message.charAt(i);
            if (!isControl(c)) {
                line.append(c);
            } else if (c == '\n') {
                line.append("\\n");
            } else if (c == '\r') {
                line.append("\\r");
            } else {
                line.append("\\u").append(HEX[c >> 12 & 15]).append(HEX[c >> 8 & 15]).append(HEX[c >> 4 & 15]).append(HEX[c & 15]);
            }
        }
    }

    private static int firstControl(String message) {
        for (int i = 0; i < message.length(); i++) {
            if (isControl(message.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** C0 but tab, DEL, C1 (NEL among them) and the Unicode line and paragraph separators. */
    private static boolean isControl(char c) {
        return c < 0x20 ? c != '\t' : c >= 0x7f && (c <= 0x9f || c == 0x2028 || c == 0x2029);
    }

    private void appendBeforeMessage(StringBuilder line, ILoggingEvent event) {
        appendTime(line, event.getTimeStamp());
        line.append(' ');
        String level = event.getLevel().toString();
        line.append(level);
        for (int pad = level.length(); pad < 5; pad++) {
            line.append(' ');
        }
        line.append(' ').append(abbreviated(event.getLoggerName())).append(' ');
    }

    private static void appendAfterMessage(StringBuilder line, ILoggingEvent event) {
        line.append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown));
        }
    }

    private String abbreviated(String logger) {
        String known = abbreviations.get(logger);
        if (known != null) {
            return known;
        }
        String made = abbreviator.abbreviate(logger);
        if (abbreviations.size() < MAX_ABBREVIATIONS) {
            abbreviations.put(logger, made);
        }
        return made;
    }

    private void appendTime(StringBuilder line, long epochMilli) {
        long second = Math.floorDiv(epochMilli, 1000L);
        Second formatted = last;
        if (formatted.epochSecond() != second) {
            formatted = format(second);
            last = formatted;
        }
        line.append(formatted.beforeMillis());
        int millis = (int) Math.floorMod(epochMilli, 1000L);
        line.append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10)).append((char) ('0' + millis % 10));
        line.append(formatted.afterMillis());
    }

    private Second format(long epochSecond) {
        ZoneOffset offset = zone.getOffset(Instant.ofEpochSecond(epochSecond));
        LocalDateTime time = LocalDateTime.ofEpochSecond(epochSecond, 0, offset);
        StringBuilder before = new StringBuilder(24);
        if (stamp == Stamp.DATE_TIME_OFFSET) {
            if (time.getYear() > 9999) {
                before.append('+');  // as the pattern's year does past four digits
            }
            digits(before, time.getYear(), 4).append('-');
            digits(before, time.getMonthValue(), 2).append('-');
            digits(before, time.getDayOfMonth(), 2).append('T');
        }
        digits(before, time.getHour(), 2).append(':');
        digits(before, time.getMinute(), 2).append(':');
        digits(before, time.getSecond(), 2).append('.');
        return new Second(epochSecond, before.toString(), stamp == Stamp.DATE_TIME_OFFSET ? offset(offset) : "");
    }

    /** As the pattern letters {@code XXX}: {@code Z}, or the sign, hours and minutes (seconds of an offset are left out). */
    private static String offset(ZoneOffset offset) {
        int seconds = offset.getTotalSeconds();
        if (seconds == 0) {
            return "Z";
        }
        StringBuilder out = new StringBuilder(6).append(seconds < 0 ? '-' : '+');
        int absolute = Math.abs(seconds);
        digits(out, absolute / 3600, 2).append(':');
        return digits(out, absolute / 60 % 60, 2).toString();
    }

    private static StringBuilder digits(StringBuilder out, int value, int width) {
        String text = Integer.toString(value);
        for (int i = text.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(text);
    }
}
