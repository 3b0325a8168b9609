package dev.wharf.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.wharf.http.AccessLine;
import dev.wharf.http.Exchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The plain lines are byte for byte what logback's pattern layout wrote with the patterns the
 * programs used before: the layout itself is the oracle, over zones with and without offsets,
 * a daylight-saving change, dates far from now, every level, short and long logger names, and
 * stack traces with causes and suppressed exceptions.
 */
class PlainLineEncoderTest {
    private static final String BORING = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX, ZONE} %-5level %logger{20} %msg%n";
    private static final String EPR_DEV = "%d{HH:mm:ss.SSS, ZONE} %-5level %logger{20} %msg%n";

    private final LoggerContext context = new LoggerContext();

    @ParameterizedTest
    @CsvSource({
        "DATE_TIME_OFFSET, UTC",
        "DATE_TIME_OFFSET, Europe/Paris",
        "DATE_TIME_OFFSET, America/St_Johns",
        "DATE_TIME_OFFSET, Asia/Kolkata",
        "DATE_TIME_OFFSET, Pacific/Chatham",
        "TIME_OF_DAY, UTC",
        "TIME_OF_DAY, America/Los_Angeles",
    })
    void writesWhatThePatternLayoutWrote(PlainLineEncoder.Stamp stamp, String zoneId) {
        ZoneId zone = ZoneId.of(zoneId);
        PatternLayoutEncoder oracle = new PatternLayoutEncoder();
        oracle.setContext(context);
        oracle.setPattern((stamp == PlainLineEncoder.Stamp.DATE_TIME_OFFSET ? BORING : EPR_DEV).replace("ZONE", zoneId));
        oracle.start();
        PlainLineEncoder plain = new PlainLineEncoder(stamp, zone);
        plain.setContext(context);
        plain.start();

        List<LoggingEvent> events = events(zone);
        for (LoggingEvent event : events) {
            assertThat(new String(plain.encode(event))).isEqualTo(new String(oracle.encode(event)));
        }
        // The same events again, out of order: a line's second must not be taken from the line before.
        for (int i = events.size() - 1; i >= 0; i--) {
            assertThat(new String(plain.encode(events.get(i)))).isEqualTo(new String(oracle.encode(events.get(i))));
        }
    }

    /**
     * A batch gets exactly the bytes {@link PlainLineEncoder#encode} makes, one line after another,
     * access lines (their text handed over as "{}" and an {@link AccessLine}) included, whether
     * they are ASCII or not.
     */
    @ParameterizedTest
    @CsvSource({"DATE_TIME_OFFSET, Europe/Paris", "TIME_OF_DAY, UTC"})
    void encodesIntoABatchTheBytesItEncodes(PlainLineEncoder.Stamp stamp, String zoneId) throws IOException {
        ZoneId zone = ZoneId.of(zoneId);
        PlainLineEncoder plain = new PlainLineEncoder(stamp, zone);
        plain.setContext(context);
        plain.start();
        List<LoggingEvent> events = events(zone);
        events.add(access(new Exchange("/v1/providers/{namespace}/{type}/versions", "GET", "/v1/providers/a/b/versions", null,
                "HTTP/1.1", 200, 0, 3564, 812_000, "127.0.0.1", "Terraform/1.11.4")));
        events.add(access(new Exchange("/v1/files/{name}", "GET", "/v1/files/x.zip", "signature=abc&expires=1", "HTTP/1.1", 200, 0,
                1736, 49_999, "10.0.0.7", "Ünïcödé agent ✓")));
        events.add(access(new Exchange(Exchange.UNMATCHED, "GET", "/{}", "q={}", "HTTP/1.1", 404, 0, 0, 1_000, "10.0.0.9", null)));
        LoggingEvent notAccessPattern = new LoggingEvent("test", context.getLogger("http.access"), Level.INFO, "line: {}", null,
                new Object[] {new AccessLine(new Exchange("/", "GET", "/", null, "HTTP/1.1", 200, 0, 2, 1, "::1", null))});
        events.add(notAccessPattern);

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        LineBatch batch = new LineBatch();
        for (LoggingEvent event : events) {
            expected.write(plain.encode(event));
            plain.encodeInto(event, batch);
        }
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        batch.writeTo(written);
        assertThat(written.toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(new String(written.toByteArray())).contains("GET /v1/files/x.zip?signature=REDACTED&expires=1 HTTP/1.1 200 1736B 0.0ms")
                .contains("line: GET / HTTP/1.1 200 2B 0.0ms ::1 \"-\"");
    }

    /**
     * A message is one line whatever it holds: a client's coordinates with a line break in them had
     * written a second, forged line into the publish audit. A stack trace still follows its line.
     */
    @org.junit.jupiter.api.Test
    void aMessageWithLineBreaksAndControlCharactersIsWrittenOnOneLine() {
        PlainLineEncoder plain = new PlainLineEncoder(PlainLineEncoder.Stamp.DATE_TIME_OFFSET, ZoneId.of("UTC"));
        plain.setContext(context);
        plain.start();
        String forged = "publish module x/y/z/1\n2026-12-06T17:59:00.000Z INFO  wharf.publish publish module acme/vpc/aws/9.9.9: 201 created";
        LoggingEvent event = new LoggingEvent("test", context.getLogger("wharf.publish"), Level.WARN, "{} by - from 127.0.0.1: 401",
                null, new Object[] {forged + "\r\u0000\u0007\u007f\u0085\u2028\tend"});
        event.setTimeStamp(0L);
        String line = new String(plain.encode(event));
        assertThat(line).isEqualTo("1970-01-01T00:00:00.000Z WARN  wharf.publish publish module x/y/z/1\\n2026-12-06T17:59:00.000Z INFO"
                + "  wharf.publish publish module acme/vpc/aws/9.9.9: 201 created\\r\\u0000\\u0007\\u007f\\u0085\\u2028\tend by - from"
                + " 127.0.0.1: 401" + System.lineSeparator());
        LineBatch batch = new LineBatch();
        plain.encodeInto(event, batch);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        try {
            batch.writeTo(written);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(written.toString()).isEqualTo(line);

        LoggingEvent failed = new LoggingEvent("test", context.getLogger("wharf"), Level.ERROR, "a\nb", new IllegalStateException("boom"), null);
        assertThat(new String(plain.encode(failed)).lines().toList()).hasSizeGreaterThan(2)
                .first().asString().endsWith(" ERROR wharf a\\nb");
    }

    private LoggingEvent access(Exchange exchange) {
        LoggingEvent event = new LoggingEvent("test", context.getLogger("http.access"), Level.INFO, "{}", null,
                new Object[] {new AccessLine(exchange)});
        event.setTimeStamp(1_764_662_283_007L);
        return event;
    }

    private List<LoggingEvent> events(ZoneId zone) {
        List<Long> times = new ArrayList<>(List.of(
                0L, 999L, 1000L, -1L, 1_764_662_283_007L, 1_764_662_283_999L, 1_764_662_284_000L, 253_402_300_799_999L,
                ZonedDateTime.of(2026, 3, 29, 0, 59, 59, 999_000_000, ZoneId.of("UTC")).toInstant().toEpochMilli(),
                ZonedDateTime.of(2026, 3, 29, 1, 0, 0, 0, ZoneId.of("UTC")).toInstant().toEpochMilli(),
                ZonedDateTime.of(1900, 1, 1, 12, 30, 15, 42_000_000, zone).toInstant().toEpochMilli()));
        String[] loggers = {"dev.wharf.cli.boring.ServerCommand", "dev.wharf.epr.oci.RepositoryScan", "short", "http.access",
            "org.eclipse.jetty.util.thread.QueuedThreadPool", "a.b.c.d.e.f.g.h.i.j.k.l.m.n.Outer$Inner", ""};
        Level[] levels = {Level.TRACE, Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR};
        List<LoggingEvent> events = new ArrayList<>();
        for (int i = 0; i < times.size(); i++) {
            Throwable thrown = switch (i % 4) {
                case 0 -> null;
                case 1 -> new IllegalStateException("the registry answered 503", new UncheckedIOException(new IOException("reset")));
                case 2 -> suppressing();
                default -> new RuntimeException((String) null);
            };
            LoggingEvent event = new LoggingEvent("test", context.getLogger(loggers[i % loggers.length]), levels[i % levels.length],
                    "tag {} of {}: {} ünïcödé ✓", thrown, new Object[] {"1.2.3", "registry.example.com/packages", i});
            event.setTimeStamp(times.get(i));
            events.add(event);
        }
        LoggingEvent nothing = new LoggingEvent("test", context.getLogger("dev.wharf.x"), Level.INFO, null, null, null);
        nothing.setTimeStamp(1_764_662_283_007L);
        events.add(nothing);
        return events;
    }

    private static Throwable suppressing() {
        Exception outer = new Exception("closing failed");
        outer.addSuppressed(new IOException("the stream was cut", new ArithmeticException("inner")));
        return outer;
    }
}
