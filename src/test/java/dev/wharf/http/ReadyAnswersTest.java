package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The router answers first; a repeat GET is answered in front of it exactly as long as the check holds. */
class ReadyAnswersTest {
    /** More blocked requests than the server has selector threads. */
    private static final int SLOW = Runtime.getRuntime().availableProcessors() * 2 + 2;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ReadyAnswers ready = new ReadyAnswers(1L << 20);
    private final AtomicInteger routed = new AtomicInteger();
    private final AtomicBoolean current = new AtomicBoolean(true);
    private final List<String> observed = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch slowStarted = new CountDownLatch(SLOW);
    private final byte[] big = "{\"padding\":\"".concat("x".repeat(4000)).concat("\"}").getBytes(StandardCharsets.UTF_8);
    private WebServer server;

    @BeforeEach
    void start() {
        server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), Optional.of(ready),
                (route, method, status, micros) -> observed.add(method + " " + route + " " + status), cfg -> {
                    cfg.routes.get("/things/{name}", ctx -> {
                        routed.incrementAndGet();
                        byte[] body = ctx.pathParam("name").equals("big") ? big
                                : ("{\"name\":\"" + ctx.pathParam("name") + "\",\"q\":\"" + ctx.queryString() + "\"}").getBytes(StandardCharsets.UTF_8);
                        ctx.header("Cache-Control", "max-age=60").contentType("application/json").result(body);
                        ready.remember(ReadyAnswers.target(ctx), ReadyAnswer.of(ctx.endpoint().path, "application/json",
                                List.of(new ReadyAnswer.Header("Cache-Control", "max-age=60")), body, true),
                                header -> {
                                    if ("boom".equals(header.apply("X-Test"))) {
                                        throw new IllegalStateException("the check failed");
                                    }
                                    return current.get();
                                });
                    });
                    cfg.routes.get("/once/{name}", ctx -> {
                        routed.incrementAndGet();
                        byte[] body = ctx.pathParam("name").equals("big") ? big : "{}".getBytes(StandardCharsets.UTF_8);
                        ReadyAnswer.sendOnce(ctx, "application/json", List.of(new ReadyAnswer.Header("Cache-Control", "max-age=60")), body, true);
                    });
                    cfg.routes.get("/slow", ctx -> {
                        slowStarted.countDown();
                        ctx.result(String.valueOf(release.await(30, TimeUnit.SECONDS)));
                    });
                    cfg.routes.post("/echo", ctx -> ctx.result(ctx.bodyAsBytes()));
                });
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.close();
    }

    private HttpResponse<byte[]> get(String target, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.localUri() + target));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aRepeatIsAnsweredInFrontOfTheRouterWithTheSameBodyAndHeaders() throws Exception {
        HttpResponse<byte[]> first = get("/things/a%2Bb?x=1&y=%20");
        HttpResponse<byte[]> again = get("/things/a%2Bb?x=1&y=%20");
        assertThat(routed).hasValue(1);
        assertThat(observed).containsExactly("GET /things/{name} 200");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(new String(again.body(), StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"a+b\",\"q\":\"x=1&y=%20\"}");
        assertThat(again.headers().firstValue("Content-Type")).isEqualTo(first.headers().firstValue("Content-Type"));
        assertThat(again.headers().allValues("Cache-Control")).containsExactly("max-age=60");
        assertThat(again.headers().firstValueAsLong("Content-Length")).hasValue(first.body().length);

        get("/things/a%2Bb?x=2");
        assertThat(routed).as("another query is another target").hasValue(2);
    }

    @Test
    void whenTheCheckFailsOrThrowsTheRouterAnswers() throws Exception {
        get("/things/a");
        get("/things/a", "X-Test", "boom");
        assertThat(routed).hasValue(2);
        current.set(false);
        get("/things/a");
        assertThat(routed).hasValue(3);
        current.set(true);
        get("/things/a");
        assertThat(routed).as("the router remembered its new answer").hasValue(3);
    }

    /**
     * Ready answers are written on the selector threads, so the router must never run there: with
     * every selector's worth of requests blocked in a route, others are still answered, routed or ready.
     */
    @Test
    void blockedRoutesHoldUpNeitherReadyAnswersNorOtherRoutes() throws Exception {
        get("/things/a");
        List<CompletableFuture<HttpResponse<String>>> slow = new java.util.ArrayList<>();
        for (int i = 0; i < SLOW; i++) {
            // One client each: each its own connection, spread over the selectors.
            slow.add(HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create(server.localUri() + "/slow")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        assertThat(slowStarted.await(20, TimeUnit.SECONDS)).as("all slow requests are in the route").isTrue();

        for (int i = 0; i < 4; i++) {
            HttpClient fresh = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5)).build();
            HttpResponse<byte[]> ready = fresh.send(HttpRequest.newBuilder(URI.create(server.localUri() + "/things/a"))
                    .timeout(java.time.Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<byte[]> routedNow = fresh.send(HttpRequest.newBuilder(URI.create(server.localUri() + "/things/b" + i))
                    .timeout(java.time.Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(routedNow.statusCode()).isEqualTo(200);
        }
        assertThat(routed).as("/things/a once, then four others").hasValue(5);
        assertThat(slow).noneMatch(CompletableFuture::isDone);

        release.countDown();
        for (CompletableFuture<HttpResponse<String>> f : slow) {
            assertThat(f.get(20, TimeUnit.SECONDS).body()).isEqualTo("true");
        }
    }

    @Test
    void requestBodiesReachTheRouterWhole() throws Exception {
        byte[] body = new byte[900_000]; // under Javalin's 1 MB request limit, many reads long
        new java.util.Random(7).nextBytes(body);
        HttpResponse<byte[]> echoed = http.send(HttpRequest.newBuilder(URI.create(server.localUri() + "/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(echoed.statusCode()).isEqualTo(200);
        assertThat(echoed.body()).isEqualTo(body);
    }

    @Test
    void headAndOtherMethodsNeverGetTheReadyAnswer() throws Exception {
        get("/things/a");
        HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(URI.create(server.localUri() + "/things/a"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> post = http.send(HttpRequest.newBuilder(URI.create(server.localUri() + "/things/a"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        // Both reach the router: HEAD runs the GET route again (its answer without the body), POST finds no route.
        assertThat(observed).isEmpty();
        assertThat(routed).hasValue(2);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(post.statusCode()).isNotEqualTo(200);
    }

    @Test
    void bigAnswersGoOutGzippedToClientsThatAcceptIt() throws Exception {
        get("/things/big");
        HttpResponse<byte[]> plain = get("/things/big");
        HttpResponse<byte[]> gzipped = get("/things/big", "Accept-Encoding", "br, gzip;q=0.8");
        HttpResponse<byte[]> refused = get("/things/big", "Accept-Encoding", "gzip;q=0");
        HttpResponse<byte[]> refusedBesideAnyOther = get("/things/big", "Accept-Encoding", "gzip;q=0, *");
        assertThat(routed).hasValue(1);
        assertThat(plain.body()).isEqualTo(big);
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gzipped.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        assertThat(gzipped.body().length).isLessThan(big.length / 10);
        assertThat(new GZIPInputStream(new ByteArrayInputStream(gzipped.body())).readAllBytes()).isEqualTo(big);
        assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(refused.body()).isEqualTo(big);
        assertThat(refusedBesideAnyOther.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(refusedBesideAnyOther.body()).isEqualTo(big);
    }

    /** An answer sent once (not kept) goes out as the kept one's repeats do: headers, Vary, gzip by the same rule. */
    @Test
    void anAnswerSentOnceIsTheSameAsARepeatOfAKeptOne() throws Exception {
        get("/things/big");
        for (String[] accept : List.of(new String[0], new String[] {"Accept-Encoding", "br, gzip;q=0.8"},
                new String[] {"Accept-Encoding", "gzip;q=0"})) {
            HttpResponse<byte[]> repeat = get("/things/big", accept);
            HttpResponse<byte[]> once = get("/once/big", accept);
            assertThat(once.body()).isEqualTo(repeat.body());
            for (String header : List.of("Content-Type", "Cache-Control", "Vary", "Content-Encoding", "Content-Length")) {
                assertThat(once.headers().allValues(header)).as(String.join(" ", accept) + " " + header)
                        .isEqualTo(repeat.headers().allValues(header));
            }
        }
        HttpResponse<byte[]> small = get("/once/small", "Accept-Encoding", "gzip");
        assertThat(small.headers().firstValue("Vary")).as("no gzipped variant under the threshold").isEmpty();
        assertThat(small.headers().firstValue("Content-Encoding")).isEmpty();
        get("/once/big");
        assertThat(routed).as("the answer sent once is not kept").hasValue(6);
    }

    @Test
    void acceptEncodingIsReadAsHttpSaysIt() {
        assertThat(ReadyAnswerHandler.acceptsGzip(null)).isFalse();
        assertThat(ReadyAnswerHandler.acceptsGzip("gzip")).isTrue();
        assertThat(ReadyAnswerHandler.acceptsGzip("GZIP ; q=0.5")).isTrue();
        assertThat(ReadyAnswerHandler.acceptsGzip("deflate, br")).isFalse();
        // RFC 9110 §12.5.3: "*" speaks only for codings not listed; gzip listed with q=0 stays refused.
        assertThat(ReadyAnswerHandler.acceptsGzip("gzip;q=0, *")).isFalse();
        assertThat(ReadyAnswerHandler.acceptsGzip("*, gzip;q=0")).isFalse();
        assertThat(ReadyAnswerHandler.acceptsGzip("br, *")).isTrue();
        assertThat(ReadyAnswerHandler.acceptsGzip("gzip, *;q=0")).isTrue();
        assertThat(ReadyAnswerHandler.acceptsGzip("x-gzip")).isTrue();
        assertThat(ReadyAnswerHandler.acceptsGzip("gzip;q=0.000")).isFalse();
        assertThat(ReadyAnswerHandler.acceptsGzip("*;q=0")).isFalse();
    }
}
