package dev.wharf.oci.registry;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Which failed requests to the registry are worth sending again. Every case is listed; anything
 * not listed (TLS and DNS failures, malformed answers, a file that cannot be read, 4xx and the
 * other 5xx answers) fails at once, because repeating it gives the same result and only makes the
 * client wait longer.
 *
 * <p>The rules follow from what the registry may already have done with the request:
 * <ul>
 *   <li>The connection was refused, or not opened in time: nothing was sent, so any request,
 *       even a non-idempotent upload step, may go again.</li>
 *   <li>429 Too Many Requests: the registry says it did not process the request (RFC 6585), so any
 *       request may go again, after the {@code Retry-After} it asked for.</li>
 *   <li>No answer in time, a reset or closed connection, 502/503/504: the request may or may not
 *       have been applied, so only idempotent ones (GET, HEAD, manifest PUT, DELETE) go again. A
 *       blob upload step (POST/PATCH/PUT on an upload session) is not repeated on its own: the
 *       upload restarts from a new session, which is safe because blobs are content-addressed.</li>
 *   <li>500 Internal Server Error: idempotent requests only, as above, and at most
 *       {@link #TRIES_ON_500} tries in all. A 500 can be the registry's own passing race:
 *       docker-registry's filesystem driver rewrites a tag's link file in place, and a HEAD or GET of
 *       the tag meanwhile is answered 500 ("unknown error"; 4 of 800 HEADs with four writers
 *       re-tagging), gone on the next try. But a broken storage backend answers 500 to everything,
 *       and there every try only makes the client wait, hence the lower bound than the policy's
 *       attempts. go-containerregistry and oras-go repeat a 500 for every method; Wharf does not,
 *       for the reason of the case above.</li>
 * </ul>
 */
final class RetryRule {
    /** What became of a request that got no answer. */
    enum Failure {
        /** Nothing listened on the port (a registry restarting). Nothing was sent. */
        REFUSED,
        /** The connection did not open in time. Nothing was sent. */
        CONNECT_TIMEOUT,
        /** Connected, but the answer's headers did not come in time. */
        RESPONSE_TIMEOUT,
        /** The connection was reset or closed before the answer (a registry crashing or a proxy cutting). */
        RESET,
        /** Anything else: TLS, DNS, protocol errors, unreadable local content. Never retried. */
        OTHER
    }

    /** The most tries of a request answered 500, the first included: two more after it, within the policy and the budget. */
    static final int TRIES_ON_500 = 3;

    private RetryRule() {
    }

    static Failure classify(IOException e) {
        List<Throwable> chain = chain(e);
        // A TLS or name failure stays one whatever socket error it wraps: repeating it cannot help.
        if (chain.stream().anyMatch(t -> t instanceof SSLException || t instanceof UnknownHostException
                || t instanceof UnresolvedAddressException)) {
            return Failure.OTHER;
        }
        // The JDK wraps the cause; the first listed type found anywhere in the chain decides.
        if (chain.stream().anyMatch(t -> t instanceof HttpConnectTimeoutException)) {
            return Failure.CONNECT_TIMEOUT;
        }
        if (chain.stream().anyMatch(t -> t instanceof HttpTimeoutException)) {
            return Failure.RESPONSE_TIMEOUT;
        }
        if (chain.stream().anyMatch(t -> t instanceof ConnectException)) {
            return Failure.REFUSED;
        }
        if (chain.stream().anyMatch(t -> t instanceof SocketException || t instanceof EOFException || t instanceof ClosedChannelException
                || closedBeforeAnswer(t))) {
            return Failure.RESET;
        }
        return Failure.OTHER;
    }

    /** java.net.http reports a peer that closed before answering as a plain IOException with one of these texts. */
    private static boolean closedBeforeAnswer(Throwable t) {
        if (!(t instanceof IOException) || t.getMessage() == null) {
            return false;
        }
        String m = t.getMessage().toLowerCase(Locale.ROOT);
        return m.contains("connection reset") || m.contains("header parser received no bytes") || m.contains("connection closed")
                || m.contains("broken pipe");
    }

    static boolean retryable(Failure failure, boolean idempotent) {
        return switch (failure) {
            case REFUSED, CONNECT_TIMEOUT -> true;
            case RESPONSE_TIMEOUT, RESET -> idempotent;
            case OTHER -> false;
        };
    }

    /** Whether an answer of {@code status} to try number {@code tries} (counting from 1) may be followed by another. */
    static boolean retryable(int status, boolean idempotent, int tries) {
        return switch (status) {
            case 429 -> true;
            case 500 -> idempotent && tries < TRIES_ON_500;
            case 502, 503, 504 -> idempotent;
            default -> false;
        };
    }

    /** The wait a {@code Retry-After} header asks for (seconds or an HTTP date); empty when absent or unreadable. */
    static Optional<Duration> retryAfter(HttpHeaders headers, Clock clock) {
        Optional<String> value = headers.firstValue("Retry-After");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String v = value.get().trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException ignored) {
                return Optional.empty();
            }
        }
    }

    private static List<Throwable> chain(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
