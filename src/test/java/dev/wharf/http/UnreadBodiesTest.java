package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.http.access.FailedCredentials;
import dev.wharf.http.ui.SessionCookie;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Answers a handler below the routes gives before the request's body has arrived (the credential
 * throttle's 429, {@code OPTIONS *}) say {@code Connection: close}, as the server closes the
 * connection after them on the bytes still to come: a client that kept it for its next request
 * lost that request.
 */
class UnreadBodiesTest {
    private static final ServerLimits LIMITS = new ServerLimits(Duration.ofMinutes(5), 100);

    @Test
    void aThrottledPutWhoseBodyIsStillToComeIsAnswered429WithConnectionClose() throws Exception {
        FailedCredentials failures = new FailedCredentials(1, Clock.systemUTC());
        CredentialThrottle.Guarded guarded = new CredentialThrottle.Guarded(path -> path.startsWith("/api/"), new SessionCookie("ui_token"),
                "/ui/sign-in");
        try (WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), Optional.empty(),
                RequestObserver.NONE, LIMITS, cfg -> {
                    CredentialThrottle.install(cfg, failures, guarded, new SimpleMeterRegistry());
                    cfg.routes.put("/api/thing", ctx -> ctx.status(401));
                })) {
            String put = "PUT /api/thing HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer guess\r\nContent-Length: 5\r\n\r\n";
            // Closed after its answer, so the exchange need not wait to see whether the server keeps it open.
            RawExchange refused = RawExchange.send(server.port(), put.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n") + "abcde");
            assertThat(refused.statusLine()).isEqualTo("HTTP/1.1 401 Unauthorized");

            RawExchange throttled = RawExchange.send(server.port(), put);

            assertThat(throttled.statusLine()).isEqualTo("HTTP/1.1 429 Too Many Requests");
            assertThat(throttled.header("Connection")).isEqualTo("close");
            assertThat(throttled.closedAfter()).isTrue();
        }
    }

    @Test
    void optionsStarWithABodyStillToComeIsAnsweredWithConnectionClose() throws Exception {
        try (WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), Optional.empty(),
                RequestObserver.NONE, LIMITS, cfg -> cfg.routes.get("/thing", ctx -> ctx.result("thing")))) {
            RawExchange answer = RawExchange.send(server.port(), "OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\n");

            assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(answer.header("Connection")).isEqualTo("close");
            assertThat(answer.closedAfter()).isTrue();
        }
    }
}
