package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.oci.registry.RetryRule.Failure;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * Every case of the retry rule, as the JDK's HTTP client reports them. The behaviour against a real
 * registry (how many requests each case costs) is in {@link RegistryFaultTest}.
 */
class RetryRuleTest {
    private static IOException wrapped(Throwable cause) {
        return new IOException(cause.getMessage(), cause);
    }

    @Test
    void refusedAndConnectTimeoutsAreRetriedForEveryMethodBecauseNothingWasSent() {
        for (IOException e : List.of(new ConnectException("Connection refused"), wrapped(new ConnectException("Connection refused")))) {
            assertThat(RetryRule.classify(e)).isEqualTo(Failure.REFUSED);
        }
        assertThat(RetryRule.classify(new HttpConnectTimeoutException("HTTP connect timed out"))).isEqualTo(Failure.CONNECT_TIMEOUT);
        for (Failure f : List.of(Failure.REFUSED, Failure.CONNECT_TIMEOUT)) {
            assertThat(RetryRule.retryable(f, true)).isTrue();
            assertThat(RetryRule.retryable(f, false)).isTrue();
        }
    }

    @Test
    void responseTimeoutsAndResetsAreRetriedOnlyForIdempotentRequests() {
        assertThat(RetryRule.classify(new HttpTimeoutException("request timed out"))).isEqualTo(Failure.RESPONSE_TIMEOUT);
        for (IOException e : List.of(new SocketException("Connection reset"), wrapped(new EOFException("EOF reached while reading")),
                new IOException("HTTP/1.1 header parser received no bytes"), new IOException("connection closed locally"))) {
            assertThat(RetryRule.classify(e)).as(e.toString()).isEqualTo(Failure.RESET);
        }
        for (Failure f : List.of(Failure.RESPONSE_TIMEOUT, Failure.RESET)) {
            assertThat(RetryRule.retryable(f, true)).isTrue();
            assertThat(RetryRule.retryable(f, false)).isFalse();
        }
    }

    @Test
    void protocolErrorsMissingFilesTlsAndDnsAreNeverRetried() {
        for (IOException e : List.of(new ProtocolException("Invalid status line"), new FileNotFoundException("/tmp/gone.zip"),
                wrapped(new FileNotFoundException("/tmp/gone.zip")), new UnknownHostException("registry.invalid"),
                new SSLHandshakeException("Remote host terminated the handshake"),
                wrapped(new SSLHandshakeException("PKIX path building failed")), new IOException("something else"))) {
            assertThat(RetryRule.classify(e)).as(e.toString()).isEqualTo(Failure.OTHER);
        }
        IOException tlsOverReset = new SSLHandshakeException("Remote host terminated the handshake");
        tlsOverReset.initCause(new EOFException("SSL peer shut down incorrectly"));
        assertThat(RetryRule.classify(tlsOverReset)).isEqualTo(Failure.OTHER);
        assertThat(RetryRule.retryable(Failure.OTHER, true)).isFalse();
    }

    @Test
    void statusesRetriedAre429AlwaysAnd502To504ForIdempotentRequests() {
        for (int tries : List.of(1, 3, 10)) {
            assertThat(RetryRule.retryable(429, true, tries)).isTrue();
            assertThat(RetryRule.retryable(429, false, tries)).isTrue();
            for (int status : List.of(502, 503, 504)) {
                assertThat(RetryRule.retryable(status, true, tries)).as("" + status).isTrue();
                assertThat(RetryRule.retryable(status, false, tries)).as("" + status).isFalse();
            }
        }
        for (int status : List.of(200, 201, 400, 401, 403, 404, 405, 409, 501, 505)) {
            assertThat(RetryRule.retryable(status, true, 1)).as("" + status).isFalse();
        }
    }

    /** A registry's passing race answers 500 once; a broken backend answers it to everything, so the tries stop early. */
    @Test
    void a500IsRetriedForIdempotentRequestsUpToThreeTriesInAll() {
        assertThat(RetryRule.retryable(500, true, 1)).isTrue();
        assertThat(RetryRule.retryable(500, true, 2)).isTrue();
        assertThat(RetryRule.retryable(500, true, 3)).as("after the third try").isFalse();
        assertThat(RetryRule.retryable(500, false, 1)).as("an upload step").isFalse();
    }

    @Test
    void retryAfterIsReadInSecondsOrAsADate() {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC);
        assertThat(RetryRule.retryAfter(headers("3"), clock)).contains(Duration.ofSeconds(3));
        assertThat(RetryRule.retryAfter(headers("Thu, 01 Jan 2026 10:00:07 GMT"), clock)).contains(Duration.ofSeconds(7));
        assertThat(RetryRule.retryAfter(headers("Thu, 01 Jan 2026 09:00:00 GMT"), clock)).contains(Duration.ZERO);
        assertThat(RetryRule.retryAfter(headers("soon"), clock)).isEmpty();
        assertThat(RetryRule.retryAfter(headers("-1"), clock)).isEmpty();
    }

    @Test
    void retryAfterIsCappedAndMustFitTheBudget() {
        RetryPolicy policy = new RetryPolicy(4, Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofSeconds(5));
        assertThat(policy.next(1, Optional.of(Duration.ofSeconds(2)), Duration.ofSeconds(8))).contains(Duration.ofSeconds(2));
        assertThat(policy.next(1, Optional.of(Duration.ofSeconds(6)), Duration.ofSeconds(8))).as("over the cap").isEmpty();
        assertThat(policy.next(1, Optional.of(Duration.ofSeconds(2)), Duration.ofSeconds(1))).as("over the budget").isEmpty();
        assertThat(policy.next(4, Optional.empty(), Duration.ofSeconds(8))).as("no attempts left").isEmpty();
        assertThat(policy.next(2, Optional.empty(), Duration.ofSeconds(8)).orElseThrow()).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    private static HttpHeaders headers(String retryAfter) {
        return HttpHeaders.of(Map.of("Retry-After", List.of(retryAfter)), (a, b) -> true);
    }
}
