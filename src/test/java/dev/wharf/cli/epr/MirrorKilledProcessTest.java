package dev.wharf.cli.epr;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.wharf.epr.upstream.SignedUpstream;
import dev.wharf.testing.PgpKeys;
import dev.wharf.testing.WharfProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code package-registry mirror} killed (SIGKILL) while a zip downloads: nothing of that version
 * is stored, and the next run copies everything and removes the killed run's scratch folder, which
 * had stayed in the temporary folder (with its partial zip, up to {@code -max-package-size}) until a
 * server happened to start on the machine.
 */
class MirrorKilledProcessTest {
    private static final PgpKeys KEY = PgpKeys.generate("Upstream <upstream@example.test>");
    private static final String STALLED = "/epr/acme_logs/acme_logs-1.1.0.zip";

    @TempDir
    Path dir;

    @Test
    void aRunKilledMidDownloadStoresNothingOfItAndTheNextRunCopiesAllAndRemovesItsScratchFolder() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path key = Files.writeString(dir.resolve("key.asc"), KEY.armoredPublicKey());
        CountDownLatch zipAsked = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        AtomicBoolean stall = new AtomicBoolean(true);
        ExecutorService threads = Executors.newCachedThreadPool();
        try (SignedUpstream upstream = SignedUpstream.start(dir, KEY, List.of("acme_logs/1.1.0", "gallery/2.0.0"))) {
            HttpServer front = stallingFront(upstream, stall, zipAsked, never, threads);
            List<String> command = List.of("package-registry", "mirror", "-proxy-to", "http://127.0.0.1:" + front.getAddress().getPort() + "/",
                    "-proxy-allow-insecure", "-kibana-version", "8.15.0", "-oci-registry", "oci-layout:" + dir.resolve("data"),
                    "-verification-key", key.toString());
            List<String> jvm = List.of("-Xmx256m", "-Djava.io.tmpdir=" + tmp);
            Path scratch;
            try {
                try (WharfProcess first = WharfProcess.start(dir.resolve("work"), Map.of(), jvm, command)) {
                    assertThat(zipAsked.await(2, TimeUnit.MINUTES)).as(first.output()).isTrue();
                    scratch = scratchFolder(tmp);
                    first.kill();
                    assertThat(first.waitFor(Duration.ofMinutes(1))).isNotZero();
                }
                assertThat(scratch).as("SIGKILL runs no clean-up").isDirectory();

                stall.set(false);
                try (WharfProcess second = WharfProcess.start(dir.resolve("work"), Map.of(), jvm, command)) {
                    assertThat(second.waitFor(Duration.ofMinutes(2))).as(second.output()).isZero();
                    // Copied, not already there: the killed run had stored no tag of the version it was downloading.
                    assertThat(second.output()).contains("copied: 2 (", "acme_logs-1.1.0, gallery-2.0.0", "already there: 0", "refused: 0");
                }
                assertThat(scratch).as("the killed run's scratch folder").doesNotExist();
                try (Stream<Path> left = Files.list(tmp)) {
                    assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("wharf-"))).isEmpty();
                }
            } finally {
                never.countDown();
                front.stop(0);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** The mirror run's own scratch folder in {@code tmp}. */
    private static Path scratchFolder(Path tmp) throws IOException {
        try (Stream<Path> folders = Files.list(tmp)) {
            List<Path> found = folders.filter(p -> p.getFileName().toString().startsWith("wharf-epr-mirror-")).toList();
            assertThat(found).hasSize(1);
            return found.get(0);
        }
    }

    /**
     * {@code upstream} as it is, except that while {@code stall} holds, {@link #STALLED} answers its
     * headers and half its bytes, then nothing more until {@code release}.
     */
    private static HttpServer stallingFront(SignedUpstream upstream, AtomicBoolean stall, CountDownLatch asked, CountDownLatch release,
                                            ExecutorService threads) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().toString();
            try (exchange) {
                HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(upstream.url().resolve(path.substring(1))).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                byte[] body = answer.body();
                answer.headers().firstValue("Content-Type").ifPresent(t -> exchange.getResponseHeaders().set("Content-Type", t));
                exchange.sendResponseHeaders(answer.statusCode(), body.length == 0 ? -1 : body.length);
                OutputStream out = exchange.getResponseBody();
                if (path.equals(STALLED) && stall.get()) {
                    out.write(body, 0, body.length / 2);
                    out.flush();
                    asked.countDown();
                    release.await();
                    return;
                }
                out.write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        return server;
    }
}
