package dev.wharf.http;

/**
 * The text of one access line, made where the line is written rather than on the thread that
 * answered: a text log's event carries this instead of its message, and the log's writer appends
 * it straight into the batch it writes ({@code PlainLineEncoder}), so the line is never a string
 * of its own. Building that string on the request's thread was a twelfth of what a ready answer
 * allocated (bench/RESULTS.md, session 25). Any other encoder reads {@link #toString()}, the same text.
 */
public final class AccessLine {
    /** The message a text log's access event carries, with this line as its one argument. */
    public static final String FORMAT = "{}";
    private final Exchange exchange;

    public AccessLine(Exchange exchange) {
        this.exchange = exchange;
    }

    /** Appends the line's text, as {@link AccessLog#message} writes it, its query redacted. */
    public void appendTo(StringBuilder line) {
        AccessLog.appendMessage(line, exchange, QueryRedaction.redact(exchange.query()));
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(64 + exchange.path().length());
        appendTo(b);
        return b.toString();
    }
}
