package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A real server: every completed request reaches the observers once, with the route pattern that
 * answered it (router, ready answer, or none), true byte counts and the client; the access log
 * line built from it carries no secret sent in the query or the headers.
 */
class ExchangeLogTest {
    private static final String SIGNATURE = "c2lnbmF0dXJlLXNlY3JldC0xMjM";
    private static final String TOKEN = "bearer-token-7f3a";

    private final List<Exchange> seen = new CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private ch.qos.logback.classic.Logger logger;
    private WebServer server;

    @BeforeEach
    void start() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        lines.setContext(context);
        lines.start();
        logger = context.getLogger("test.access." + System.nanoTime());
        logger.addAppender(lines);
        ReadyAnswers ready = new ReadyAnswers(1 << 20);
        InFlightRequests inFlight = new InFlightRequests();
        server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), Optional.of(ready), RequestObserver.NONE,
                List.of(seen::add, new AccessLog(logger, Set.of()), inFlight), cfg -> {
                    cfg.routes.get("/items/{id}", ctx -> {
                        byte[] body = ("item " + ctx.pathParam("id")).getBytes(StandardCharsets.UTF_8);
                        ctx.result(body);
                        ready.remember(ReadyAnswers.target(ctx), ReadyAnswer.of(ctx.endpoint().path, "text/plain", List.of(), body, false),
                                header -> true);
                    });
                    cfg.routes.post("/upload", ctx -> ctx.result("got " + ctx.bodyAsBytes().length));
                });
    }

    @AfterEach
    void stop() {
        server.close();
        // logback keeps every logger for the JVM's life: an appender left on one keeps its lines with it.
        logger.detachAppender(lines);
        lines.stop();
    }

    @Test
    void everyRequestIsSeenOnceWithItsRouteBytesAndClient() throws Exception {
        get("/items/42", Map.of("User-Agent", "Terraform/1.11.4"));
        get("/items/42", Map.of("User-Agent", "Terraform/1.11.4"));
        send(HttpRequest.newBuilder(server.localUri().resolve("/upload")).POST(HttpRequest.BodyPublishers.ofString("12345")).build());
        get("/nothing/here", Map.of());

        List<Exchange> all = awaitExchanges(4);
        Exchange routed = all.get(0);
        Exchange ready = all.get(1);
        assertThat(routed.route()).isEqualTo("/items/{id}");
        assertThat(ready.route()).as("the ready answer names its route too").isEqualTo("/items/{id}");
        for (Exchange e : List.of(routed, ready)) {
            assertThat(e.method()).isEqualTo("GET");
            assertThat(e.path()).isEqualTo("/items/42");
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.responseBytes()).isEqualTo("item 42".length());
            assertThat(e.clientAddress()).isEqualTo("127.0.0.1");
            assertThat(e.userAgent()).isEqualTo("Terraform/1.11.4");
            assertThat(e.host()).as("the host the request named").isEqualTo("127.0.0.1");
            assertThat(e.port()).isEqualTo(server.localUri().getPort());
            assertThat(e.referer()).isNull();
            assertThat(e.nanos()).isPositive();
        }
        Exchange upload = all.get(2);
        assertThat(upload.route()).isEqualTo("/upload");
        assertThat(upload.requestBytes()).isEqualTo(5);
        assertThat(upload.responseBytes()).isEqualTo("got 5".length());
        Exchange unmatched = all.get(3);
        assertThat(unmatched.route()).isEqualTo(Exchange.UNMATCHED);
        assertThat(unmatched.status()).isEqualTo(404);
    }

    @Test
    void theAccessLogCarriesTheRequestButNoSecret() throws Exception {
        get("/items/7?archive=zip&expires=1767225600&signature=" + SIGNATURE + "&token=" + TOKEN,
                Map.of("Authorization", "Bearer " + TOKEN, "User-Agent", "Terraform/1.11.4", "Cookie", "session=" + TOKEN,
                        "Referer", "https://kibana.example.com/app/fleet?token=" + TOKEN + "&tab=1"));
        awaitExchanges(1);
        ILoggingEvent line = awaitLine(e -> e.getFormattedMessage().contains("/items/7"));
        String message = line.getFormattedMessage();
        Map<String, Object> fields = AccessLineFields.of(line);
        assertThat(message).contains("GET /items/7?archive=zip&expires=1767225600&signature=REDACTED&token=REDACTED", " 200 ",
                "127.0.0.1", "Terraform/1.11.4");
        assertThat(fields).containsEntry("http.request.method", "GET").containsEntry("url.path", "/items/7")
                .containsEntry("http.route", "/items/{id}").containsEntry("http.response.code", 200L)
                .containsEntry("http.response.body.bytes", (long) "item 7".length()).containsEntry("source.address", "127.0.0.1")
                .containsEntry("user_agent.original", "Terraform/1.11.4")
                .containsEntry("url.query", "archive=zip&expires=1767225600&signature=REDACTED&token=REDACTED")
                .containsEntry("url.domain", "127.0.0.1").containsEntry("url.port", (long) server.localUri().getPort())
                .containsEntry("source.ip", "127.0.0.1")
                .containsEntry("http.request.referer", "https://kibana.example.com/app/fleet?token=REDACTED&tab=1")
                .containsKey("event.duration");
        String everything = message + fields;
        assertThat(everything).doesNotContain(SIGNATURE).doesNotContain(TOKEN);
    }

    @Test
    void inFlightRequestsReturnToZero() throws Exception {
        InFlightRequests counted = new InFlightRequests();
        try (WebServer other = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), Optional.of(new ReadyAnswers(1 << 20)),
                RequestObserver.NONE, List.of(counted), cfg -> cfg.routes.get("/", ctx -> ctx.result(Long.toString(counted.count()))))) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(other.localUri().resolve("/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).as("the request itself is in flight while it is answered").isEqualTo("1");
            Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
            while (counted.count() != 0 && Instant.now().isBefore(deadline)) {
                java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
            }
            assertThat(counted.count()).isZero();

            // Requests the parser refuses reach no handler, though Jetty logs them: never counted, never counted down.
            for (String bad : List.of("GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: "
                    + "a".repeat(64 * 1024) + "\r\n\r\n", "NOT-HTTP\r\n\r\n")) {
                try (java.net.Socket socket = new java.net.Socket("127.0.0.1", other.port())) {
                    socket.getOutputStream().write(bad.getBytes(StandardCharsets.US_ASCII));
                    assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 4");
                } catch (java.net.SocketException reset) {
                    // the server may close before reading a header that long: refused all the same
                }
            }
            HttpResponse<String> after = http.send(HttpRequest.newBuilder(other.localUri().resolve("/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(after.body()).as("only this request in flight").isEqualTo("1");
            deadline = Instant.now().plus(Duration.ofSeconds(10));
            while (counted.count() != 0 && Instant.now().isBefore(deadline)) {
                java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
            }
            assertThat(counted.count()).isZero();
        }
    }

    private void get(String target, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.localUri().resolve(target));
        headers.forEach(request::header);
        send(request.build());
    }

    private void send(HttpRequest request) throws Exception {
        http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Jetty logs a request just after its response completed, so the client may be a moment ahead. */
    private List<Exchange> awaitExchanges(int count) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (seen.size() < count && Instant.now().isBefore(deadline)) {
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
        assertThat(seen).hasSize(count);
        return List.copyOf(seen);
    }

    private ILoggingEvent awaitLine(Predicate<ILoggingEvent> matching) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            for (ILoggingEvent e : List.copyOf(lines.list)) {
                if (matching.test(e)) {
                    return e;
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
        throw new AssertionError("no such access log line in " + lines.list);
    }
}
