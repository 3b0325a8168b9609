package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.wharf.oci.FileChunks;
import dev.wharf.testing.SlowReaders;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** {@link ServerLimits} on a real server: a stalled download is closed after the idle timeout; connections beyond the limit wait. */
class ServerLimitsTest {
    private static final int SIZE = 5 << 20;

    @TempDir
    Path dir;

    /** Jetty's level before: an in-process server of a class before this one may have set it (WARN). */
    private @Nullable Level jettyLevel;

    /** Jetty's debug log of every write would take more time than the tests themselves. */
    @BeforeEach
    void quietJetty() {
        jettyLevel = jetty().getLevel();
        jetty().setLevel(Level.INFO);
    }

    @AfterEach
    void restoreJetty() {
        jetty().setLevel(jettyLevel);
    }

    private static Logger jetty() {
        return (Logger) LoggerFactory.getLogger("org.eclipse.jetty");
    }

    /** The buffer pool of the server's requests, seen by the route. */
    private final AtomicReference<ArrayByteBufferPool> pool = new AtomicReference<>();

    private WebServer serve(ServerLimits limits) throws Exception {
        return serve(limits, List.of());
    }

    private WebServer serve(ServerLimits limits, List<ExchangeObserver> exchanges) throws Exception {
        Path file = dir.resolve("big.bin");
        byte[] bytes = new byte[SIZE];
        new Random(3).nextBytes(bytes);
        Files.write(file, bytes);
        return WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), Optional.empty(), RequestObserver.NONE, exchanges, limits, cfg -> {
            cfg.routes.get("/big", ctx -> {
                ArrayByteBufferPool buffers = (ArrayByteBufferPool) ServletContextRequest.getServletContextRequest(ctx.req())
                        .getComponents().getByteBufferPool();
                // Counted from before the first download takes a buffer.
                buffers.setStatisticsEnabled(true);
                pool.set(buffers);
                ctx.contentType("application/octet-stream");
                ctx.res().setContentLengthLong(SIZE);
                ResponseBodies.sendFile(ctx, file);
            });
            cfg.routes.get("/small", ctx -> ctx.result("ok"));
            cfg.routes.get("/other", ctx -> {
                ctx.res().setContentLengthLong(Files.size(dir.resolve("other.bin")));
                ResponseBodies.sendFile(ctx, dir.resolve("other.bin"));
            });
        });
    }

    @Test
    void aDownloadNobodyReadsIsClosedAfterTheIdleTimeout() throws Exception {
        try (WebServer server = serve(new ServerLimits(Duration.ofSeconds(1), 100));
                SlowReaders slow = SlowReaders.start(new InetSocketAddress("127.0.0.1", server.port()), "/big", 5)) {
            assertThat(server.openConnections()).isEqualTo(5);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (server.openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(server.openConnections()).as("connections left open after the idle timeout").isZero();
        }
    }

    @Test
    void connectionsBeyondTheLimitWaitUntilOneCloses() throws Exception {
        try (WebServer server = serve(new ServerLimits(Duration.ofSeconds(30), 3))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest small = HttpRequest.newBuilder(URI.create(server.localUri() + "/small")).timeout(Duration.ofSeconds(2)).build();
            SlowReaders slow = SlowReaders.start(new InetSocketAddress("127.0.0.1", server.port()), "/big", 3);
            try {
                assertThatThrownBy(() -> http.send(small, HttpResponse.BodyHandlers.ofString())).isInstanceOf(HttpTimeoutException.class);
            } finally {
                slow.close();
            }
            assertThat(http.send(small, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok");
        }
    }

    @Test
    void requestHeadersBeyondTheLimitAreRefusedWith431() throws Exception {
        try (WebServer server = serve(ServerLimits.defaults())) {
            HttpClient http = HttpClient.newHttpClient();
            URI small = URI.create("http://127.0.0.1:" + server.port() + "/small");
            String within = "x".repeat(ServerLimits.MAX_REQUEST_HEADER_BYTES - 1024);
            String beyond = "x".repeat(ServerLimits.MAX_REQUEST_HEADER_BYTES + 1);
            assertThat(http.send(HttpRequest.newBuilder(small).header("X-Pad", within).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(200);
            assertThat(http.send(HttpRequest.newBuilder(small).header("X-Pad", beyond).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(431);
            URI longUri = URI.create("http://127.0.0.1:" + server.port() + "/small?q=" + beyond);
            assertThat(http.send(HttpRequest.newBuilder(longUri).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isIn(414, 431);
        }
    }

    @Test
    void aReaderThatReadsGetsTheWholeFileChunkByChunk() throws Exception {
        try (WebServer server = serve(ServerLimits.defaults()); Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write("GET /big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] all = in.readAllBytes();
            String text = new String(all, 0, 200, StandardCharsets.ISO_8859_1);
            int bodyStart = text.indexOf("\r\n\r\n") + 4;
            assertThat(all.length - bodyStart).isEqualTo(SIZE);
            assertThat(Arrays.copyOfRange(all, bodyStart, all.length)).isEqualTo(Files.readAllBytes(dir.resolve("big.bin")));
        }
    }

    /**
     * Each download reads the file into one 64 KB direct buffer from Jetty's pool, and the buffer goes
     * back whether the client read it all or left half-way: once both requests are complete, the
     * pool's 64 KB bucket was taken once per download and every one was given back.
     */
    @Test
    void aFileDownloadBorrowsOnePooledBufferAndGivesItBackWhenTheClientLeaves() throws Exception {
        CountDownLatch complete = new CountDownLatch(2);
        try (WebServer server = serve(ServerLimits.defaults(), List.of(exchange -> complete.countDown()))) {
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.getOutputStream().write("GET /big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(socket.getInputStream().readAllBytes().length).isGreaterThan(SIZE);
            }
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.getOutputStream().write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(socket.getInputStream().readNBytes(1 << 20)).hasSize(1 << 20);
            }
            assertThat(complete.await(10, TimeUnit.SECONDS)).as("both requests complete").isTrue();
            Map<String, Object> bucket = Objects.requireNonNull(pool.get()).getDirectBucketsStatistics().stream()
                    .filter(b -> Integer.valueOf(FileChunks.CHUNK).equals(b.get("capacity"))).findFirst().orElseThrow();
            assertThat(bucket).as("the pool's 64 KB direct buffers").containsEntry("acquires", 2L).containsEntry("releases", 2L)
                    .containsEntry("inUseEntries", 0);
        }
    }

    /**
     * Concurrent downloads of two files, each through its own pooled buffer: every client gets its
     * own file byte for byte, so no buffer is refilled for one response while Jetty still writes it
     * for another.
     */
    @Test
    void concurrentDownloadsOfTwoFilesEachGetTheirOwnBytes() throws Exception {
        byte[] other = new byte[SIZE / 2 + 123];
        new Random(4).nextBytes(other);
        Files.write(dir.resolve("other.bin"), other);
        try (WebServer server = serve(ServerLimits.defaults())) {
            byte[] big = Files.readAllBytes(dir.resolve("big.bin"));
            HttpClient http = HttpClient.newHttpClient();
            List<CompletableFuture<Boolean>> downloads = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String path = i % 2 == 0 ? "/big" : "/other";
                byte[] expected = i % 2 == 0 ? big : other;
                downloads.add(http.sendAsync(HttpRequest.newBuilder(URI.create(server.localUri() + path)).build(),
                        HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> r.statusCode() == 200 && Arrays.equals(r.body(), expected)));
            }
            for (CompletableFuture<Boolean> download : downloads) {
                assertThat(download.get(60, TimeUnit.SECONDS)).as("a download with its own file's bytes").isTrue();
            }
        }
    }
}
