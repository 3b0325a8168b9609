package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.http.access.FailedCredentials;
import dev.wharf.http.ui.SessionCookie;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Answers given before the request's body has all arrived (a route's, a ready answer, a 404, the
 * credential throttle's 429, {@code OPTIONS *}) say {@code Connection: close}, as the server closes
 * the connection after them on the bytes still to come: a client that kept it for its next request
 * lost that request. A body sent whole keeps the connection.
 */
class UnreadBodiesTest {
    private static final ServerLimits LIMITS = new ServerLimits(Duration.ofMinutes(5), 100);
    /** A GET announcing a body of five bytes, none of them sent. */
    private static final String GET_WITH_BODY = "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\n";
    private static final String SECOND_GET = "GET /thing HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

    private final ReadyAnswers answers = new ReadyAnswers(1L << 20);
    private final Queue<String> readyRoutes = new ConcurrentLinkedQueue<>();

    /** A route at /thing, and a ready answer at /ready that the router never sees. */
    private WebServer routesAndAReadyAnswer() {
        answers.remember("/ready", ReadyAnswer.of("/ready", "application/json", List.of(), "{\"ready\":true}".getBytes(StandardCharsets.UTF_8),
                false), header -> true);
        return WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), Optional.of(answers),
                (route, method, status, micros) -> readyRoutes.add(route), LIMITS, cfg -> cfg.routes.get("/thing", ctx -> ctx.result("thing")));
    }

    @Test
    void aGetWhoseBodyIsStillToComeIsAnsweredByARouteWithConnectionClose() throws Exception {
        try (WebServer server = routesAndAReadyAnswer()) {
            RawExchange answer = RawExchange.send(server.port(), GET_WITH_BODY.formatted("/thing"));

            assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(answer.body()).isEqualTo("thing");
            assertThat(answer.header("Connection")).isEqualTo("close");
            assertThat(answer.closedAfter()).isTrue();
        }
    }

    @Test
    void aGetWhoseBodyIsStillToComeIsAnsweredReadyWithConnectionClose() throws Exception {
        try (WebServer server = routesAndAReadyAnswer()) {
            RawExchange answer = RawExchange.send(server.port(), GET_WITH_BODY.formatted("/ready"));

            assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(answer.body()).isEqualTo("{\"ready\":true}");
            assertThat(readyRoutes).as("answered by the ready answers, not the router").containsExactly("/ready");
            assertThat(answer.header("Connection")).isEqualTo("close");
            assertThat(answer.closedAfter()).isTrue();
        }
    }

    @Test
    void aGetWhoseBodyIsStillToComeIsAnswered404WithConnectionClose() throws Exception {
        try (WebServer server = routesAndAReadyAnswer()) {
            RawExchange answer = RawExchange.send(server.port(), GET_WITH_BODY.formatted("/nothing"));

            assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 404 Not Found");
            assertThat(answer.header("Connection")).isEqualTo("close");
            assertThat(answer.closedAfter()).isTrue();
        }
    }

    @Test
    void aGetWhoseBodyIsSentWholeKeepsItsConnection() throws Exception {
        try (WebServer server = routesAndAReadyAnswer()) {
            for (String path : List.of("/thing", "/ready", "/nothing")) {
                RawExchange second = RawExchange.sendTwice(server.port(), GET_WITH_BODY.formatted(path) + "abcde", SECOND_GET);

                assertThat(second.statusLine()).as("the request after GET %s with its body", path).isEqualTo("HTTP/1.1 200 OK");
                assertThat(second.body()).isEqualTo("thing");
            }
            assertThat(readyRoutes).contains("/ready");
        }
    }

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
            // The failure is counted once the 401's exchange completes, which the client may see closed before.
            awaitThrottled(failures, "127.0.0.1");

            RawExchange throttled = RawExchange.send(server.port(), put);

            assertThat(throttled.statusLine()).isEqualTo("HTTP/1.1 429 Too Many Requests");
            assertThat(throttled.header("Connection")).isEqualTo("close");
            assertThat(throttled.closedAfter()).isTrue();
        }
    }

    private static void awaitThrottled(FailedCredentials failures, String address) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (failures.throttled(address).isEmpty()) {
            assertThat(System.nanoTime() - deadline).as("%s throttled within 30 s", address).isNegative();
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
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
