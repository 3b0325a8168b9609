package dev.wharf.http;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One log line per completed request, on the logger {@value #LOGGER}: a readable message and, for
 * JSON logs, the same as ECS fields ({@code http.request.method}, {@code url.path},
 * {@code http.response.code}, {@code event.duration} in nanoseconds, ...). For text logs the fields
 * are not made: a text line prints the message alone, and the nine key-value pairs (with their list
 * and boxed numbers) were a tenth of all a ready answer allocated (bench/RESULTS.md, session 22).
 * Query strings are redacted ({@link QueryRedaction}); no header but {@code User-Agent} is read, so
 * neither {@code Authorization} nor a cookie can reach the log.
 *
 * <p>It runs on the thread that completed the request, a selector thread for ready answers: the
 * CLI puts an asynchronous appender behind this logger, so here a request pays for building one
 * logging event, not for writing it.
 */
public final class AccessLog implements ExchangeObserver {
    public static final String LOGGER = "http.access";
    private final Logger log;
    private final boolean fields;

    /** @param fields whether the log's lines carry fields (JSON), so the event is given them */
    public AccessLog(boolean fields) {
        this(LoggerFactory.getLogger(LOGGER), fields);
    }

    AccessLog(Logger log, boolean fields) {
        this.log = log;
        this.fields = fields;
    }

    @Override
    public void exchanged(Exchange e) {
        // A request no route matched (a scanner's probe, a typo) is logged at debug only, so probing
        // cannot fill the log; it is still counted in the metrics.
        boolean unmatched = Exchange.UNMATCHED.equals(e.route());
        if (unmatched ? !log.isDebugEnabled() : !log.isInfoEnabled()) {
            return;
        }
        if (!fields) {
            // Formatted by the log's writer ({@link AccessLine}): "{}" and the line are all this thread hands over.
            AccessLine text = new AccessLine(e);
            if (unmatched) {
                log.debug(AccessLine.FORMAT, text);
            } else {
                log.info(AccessLine.FORMAT, text);
            }
            return;
        }
        String query = QueryRedaction.redact(e.query());
        // Built once, carried beside the fields.
        String message = message(e, query);
        LoggingEventBuilder line = (unmatched ? log.atDebug() : log.atInfo())
                .addKeyValue("source.address", e.clientAddress())
                .addKeyValue("http.request.method", e.method())
                .addKeyValue("url.path", e.path())
                .addKeyValue("http.route", e.route())
                .addKeyValue("http.response.code", e.status())
                .addKeyValue("http.response.body.bytes", e.responseBytes())
                .addKeyValue("event.duration", e.nanos());
        if (query != null && !query.isEmpty()) {
            line = line.addKeyValue("url.query", query);
        }
        if (e.userAgent() != null) {
            line = line.addKeyValue("user_agent.original", e.userAgent());
        }
        line.log(message);
    }

    /**
     * The readable line, built here rather than from a "{}" pattern: logback's MessageFormatter
     * (scanning the pattern, probing every argument for a throwable) cost more than the rest of the
     * line put together under figure 1's load (bench/RESULTS.md, session 9). A text log's line has
     * "{}" and one argument, {@link AccessLine}, whose text is this: what a client sent that looks
     * like a placeholder stays as sent either way.
     *
     * @param query the query, redacted ({@link QueryRedaction}), or null
     */
    static String message(Exchange e, @Nullable String query) {
        StringBuilder b = new StringBuilder(64 + e.path().length() + (query == null ? 0 : query.length()));
        appendMessage(b, e, query);
        return b.toString();
    }

    /** {@link #message} into {@code b}. */
    static void appendMessage(StringBuilder b, Exchange e, @Nullable String query) {
        b.append(e.method()).append(' ').append(e.path());
        if (query != null && !query.isEmpty()) {
            b.append('?').append(query);
        }
        b.append(' ').append(e.protocol()).append(' ').append(e.status()).append(' ').append(e.responseBytes()).append("B ");
        appendMillis(b, e.nanos());
        b.append("ms ").append(e.clientAddress()).append(" \"").append(e.userAgent() == null ? "-" : e.userAgent()).append('"');
    }

    /**
     * Milliseconds with one decimal, rounded half up, as {@code %.1f} wrote them. Not String.format:
     * it built a DecimalFormatSymbols on every request, 14 % of all the server allocated under
     * figure 1's load (JFR, bench/RESULTS.md, session 6).
     */
    static String millis(long nanos) {
        StringBuilder b = new StringBuilder(8);
        appendMillis(b, nanos);
        return b.toString();
    }

    private static void appendMillis(StringBuilder b, long nanos) {
        long tenths = (Math.max(0, nanos) + 50_000) / 100_000;
        b.append(tenths / 10).append('.').append(tenths % 10);
    }
}
