package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Requests about the server or the connection rather than a route, answered as Go's server answers
 * them (boring-registry and EPR run on Go's net/http).
 */
class HttpEdgeTest {
    /** Long enough that a connection closed within {@link RawExchange#CLOSE_WAIT} was closed by the server's choice. */
    private static final ServerLimits LIMITS = new ServerLimits(Duration.ofMinutes(5), 100);

    private static WebServer server() {
        return WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), Optional.empty(), RequestObserver.NONE, LIMITS,
                cfg -> {
                    cfg.routes.get("/thing", ctx -> ctx.result("thing"));
                    cfg.routes.put("/thing", ctx -> ctx.status(201));
                    // Large enough for Javalin to gzip it, as it does the metrics address's /metrics and a long /health.
                    cfg.routes.get("/large", ctx -> ctx.contentType("application/json").result("{\"status\":\"" + "x".repeat(4000) + "\"}"));
                });
    }

    @Test
    void optionsStarIsAnsweredWithTheMethodsTheServerTakesAndNoBody() throws Exception {
        try (WebServer server = server()) {
            RawExchange answer = RawExchange.send(server.port(), "OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

            assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(answer.header("Allow")).isEqualTo("GET, HEAD, PUT, OPTIONS");
            assertThat(answer.header("Content-Length")).isEqualTo("0");
            assertThat(answer.body()).isEmpty();
        }
    }

    /**
     * An absolute-form target (RFC 9112 §3.2.2: one a server must accept) is routed as its path is,
     * the target naming the host: a Host header that differs, such as a proxy's own name, is ignored,
     * as Go's net/http ignores it, not a reason for a 400.
     */
    @Test
    void anAbsoluteFormTargetIsRoutedAsItsPathWhateverTheHostHeader() throws Exception {
        try (WebServer server = server()) {
            String target = "http://127.0.0.1:" + server.port() + "/thing";
            for (String host : java.util.List.of("127.0.0.1:" + server.port(), "proxy.example.test")) {
                RawExchange answer = RawExchange.send(server.port(), "GET " + target + " HTTP/1.1\r\nHost: " + host
                        + "\r\nConnection: close\r\n\r\n");

                assertThat(answer.statusLine()).as("Host: " + host).isEqualTo("HTTP/1.1 200 OK");
                assertThat(answer.body()).isEqualTo("thing");
            }
        }
    }

    @Test
    void aConnectAskingToCloseIsAnsweredAndItsConnectionClosed() throws Exception {
        try (WebServer server = server()) {
            RawExchange answer = RawExchange.send(server.port(),
                    "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nConnection: close\r\n\r\n");

            assertThat(answer.statusLine()).startsWith("HTTP/1.1 4");
            assertThat(answer.closedAfter()).as("the server closed the connection after its answer, as the request asked").isTrue();
        }
    }

    @Test
    void anAnswerJavalinGzipsSaysItVariesByAcceptEncoding() throws Exception {
        try (WebServer server = server()) {
            HttpResponse<byte[]> gzipped = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.localUri().resolve("/large"))
                    .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());

            assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(gzipped.headers().allValues("Vary")).as("a cache must not give this copy to a client that cannot read gzip")
                    .contains("Accept-Encoding");
        }
    }
}
