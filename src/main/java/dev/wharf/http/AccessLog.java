package dev.wharf.http;

import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per completed request, on the logger {@value #LOGGER}: a readable message and, for
 * JSON logs, the same as ECS fields ({@code http.request.method}, {@code url.path},
 * {@code http.response.code}, {@code event.duration} in nanoseconds, ...). Query strings are
 * redacted, the referer's too ({@link QueryRedaction}); no header but {@code Host},
 * {@code User-Agent} and {@code Referer} is read, so neither {@code Authorization} nor a cookie can
 * reach the log.
 *
 * <p>It runs on the thread that completed the request, a selector thread for ready answers: the
 * CLI puts an asynchronous appender behind this logger, so here a request pays for one logging
 * event carrying an {@link AccessLine}; the log's writer makes the text, and the fields when its
 * lines have them.
 */
public final class AccessLog implements ExchangeObserver {
    public static final String LOGGER = "http.access";
    private final Logger log;
    private final Set<String> unlogged;

    /** Every request logged. */
    public AccessLog() {
        this(Set.of());
    }

    /**
     * @param unlogged paths whose requests without a query are not logged: EPR leaves out
     *                 {@code /health} so, a liveness probe every few seconds
     */
    public AccessLog(Set<String> unlogged) {
        this(LoggerFactory.getLogger(LOGGER), unlogged);
    }

    AccessLog(Logger log, Set<String> unlogged) {
        this.log = log;
        this.unlogged = Set.copyOf(unlogged);
    }

    @Override
    public void exchanged(Exchange e) {
        if (e.query() == null && unlogged.contains(e.path())) {
            return;
        }
        // A request no route matched (a scanner's probe, a typo) is logged at debug only, so probing
        // cannot fill the log; it is still counted in the metrics. A refused token or password (401,
        // 403) is logged whatever the route: the API's token check answers before any route is
        // matched, and wrong or guessed tokens had left no line at the default level. So is a 429: a
        // request with credentials refused unchecked by the throttle (CredentialThrottle), also before any route.
        if (Exchange.UNMATCHED.equals(e.route()) && e.status() != 401 && e.status() != 403 && e.status() != 429) {
            if (log.isDebugEnabled()) {
                log.debug(AccessLine.FORMAT, new AccessLine(e));
            }
        } else if (log.isInfoEnabled()) {
            log.info(AccessLine.FORMAT, new AccessLine(e));
        }
    }

    /**
     * The readable line, appended piece by piece rather than from a "{}" pattern: logback's
     * MessageFormatter (scanning the pattern, probing every argument for a throwable) cost more than
     * the rest of the line put together under figure 1's load (bench/RESULTS.md, session 9). What a
     * client sent that looks like a placeholder stays as sent.
     *
     * @param query the query, redacted ({@link QueryRedaction}), or null
     */
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
