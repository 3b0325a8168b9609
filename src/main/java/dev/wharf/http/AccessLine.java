package dev.wharf.http;

import org.jspecify.annotations.Nullable;

/**
 * One access line, made where the line is written rather than on the thread that answered: the
 * log event carries this as its one argument of "{}", and the log's writer appends its text and
 * fields straight into the batch it writes, so neither the line nor its fields are objects of their
 * own. Building the line on the request's thread was a twelfth of what a ready answer allocated
 * (bench/RESULTS.md, session 25); for a JSON log its nine fields (a list, boxed numbers) and the
 * encoder's own buffers were most of what the log's writer spent, a fifth of package-registry's CPU
 * at figure 1's load (session 28). Any other encoder reads {@link #toString()}, the same text.
 */
public final class AccessLine {
    /** The message an access event carries, with this line as its one argument. */
    public static final String FORMAT = "{}";
    /** Marks the redacted query as not worked out yet: compared by identity, never equal to a query. */
    private static final String UNREDACTED = new String("unredacted");
    private final Exchange exchange;
    /**
     * Worked out once for the text and the fields. Written without a lock: any thread that reads it
     * either works it out again, to the same value, or sees a complete string (strings are immutable).
     */
    private @Nullable String redactedQuery = UNREDACTED;

    public AccessLine(Exchange exchange) {
        this.exchange = exchange;
    }

    /** Where {@link #writeFields} puts each field: a JSON log's encoder. */
    public interface FieldWriter {
        void text(String key, @Nullable String value);

        void number(String key, long value);
    }

    /** Appends the line's text, as {@link AccessLog#appendMessage} writes it, its query redacted. */
    public void appendTo(StringBuilder line) {
        AccessLog.appendMessage(line, exchange, redactedQuery());
    }

    /**
     * The line's fields in ECS names, in the order EPR's access log writes them (its
     * {@code internal/util/logging.go}), with Wharf's route pattern after the path: the client, the
     * request and the host it named, status, body bytes and duration in nanoseconds as numbers, the
     * client again as {@code source.ip} (or {@code source.domain}), then what a request may lack: the
     * referer and the query (both redacted), the user agent, the port it named.
     */
    public void writeFields(FieldWriter out) {
        out.text("source.address", exchange.clientAddress());
        out.text("http.request.method", exchange.method());
        out.text("url.path", exchange.path());
        String host = exchange.host();
        if (host != null && !host.isEmpty()) {
            out.text("url.domain", domain(host));
        }
        out.text("http.route", exchange.route());
        out.number("http.response.code", exchange.status());
        out.number("http.response.body.bytes", exchange.responseBytes());
        out.number("event.duration", exchange.nanos());
        String client = exchange.clientAddress();
        if (client != null && !client.isEmpty()) {
            if (isIpLiteral(client)) {
                out.text("source.ip", unbracketed(client));
            } else {
                out.text("source.domain", client);
            }
        }
        String referer = exchange.referer();
        if (referer != null && !referer.isEmpty()) {
            out.text("http.request.referer", QueryRedaction.redactUrl(referer));
        }
        if (exchange.userAgent() != null) {
            out.text("user_agent.original", exchange.userAgent());
        }
        String query = redactedQuery();
        if (query != null && !query.isEmpty()) {
            out.text("url.query", query);
        }
        if (exchange.port() > 0) {
            out.number("url.port", exchange.port());
        }
    }

    /** ECS keeps an IPv6 host's brackets in {@code url.domain}, and not in IP fields. */
    private static String domain(String host) {
        return host.indexOf(':') >= 0 && host.charAt(0) != '[' ? "[" + host + "]" : host;
    }

    private static String unbracketed(String address) {
        return address.charAt(0) == '[' && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    }

    /** An IPv4 or IPv6 literal (with a zone, in brackets or not), as a socket's address is written; a name otherwise. */
    static boolean isIpLiteral(String address) {
        String bare = unbracketed(address);
        int zone = bare.indexOf('%');
        if (zone >= 0) {
            bare = bare.substring(0, zone);
        }
        if (bare.indexOf(':') >= 0) {
            for (int i = 0; i < bare.length(); i++) {
                char c = bare.charAt(i);
                if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
                    return false;
                }
            }
            return true;
        }
        int dots = 0;
        for (int i = 0; i < bare.length(); i++) {
            char c = bare.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return dots == 3;
    }

    private @Nullable String redactedQuery() {
        String query = redactedQuery;
        if (query == UNREDACTED) {
            query = QueryRedaction.redact(exchange.query());
            redactedQuery = query;
        }
        return query;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(64 + exchange.path().length());
        appendTo(b);
        return b.toString();
    }
}
