package dev.wharf.epr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.api.ApiSettings;
import dev.wharf.epr.api.EprApi;
import dev.wharf.epr.fs.FileSystemIndexer;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.RequestObserver;
import dev.wharf.http.ServerLimits;
import dev.wharf.http.WebServer;
import dev.wharf.testing.SlowReaders;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slow-reader attack, bounded: 400 connections ask for a 5 MB package zip with a tiny receive
 * window and stop reading once the answer has begun. The server must go on answering {@code /health}
 * and serving a full download meanwhile: a client that does not read may hold a connection, never a
 * request thread (on JDK 17, without virtual threads, 400 blocked writers took the whole pool).
 */
class SlowReadersTest {
    private static final int SLOW_READERS = 400;
    private static final int PROBES = 16;
    /** Far above what an idle server needs, far below the time a starved pool makes a probe wait. */
    private static final Duration PROBE_BOUND = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    /** Jetty's level before: an in-process server of a class before this one may have set it (WARN). */
    private ch.qos.logback.classic.@org.jspecify.annotations.Nullable Level jettyLevel;

    /** Jetty's debug log of 400 connections would take more time than the test itself. */
    @org.junit.jupiter.api.BeforeEach
    void quietJetty() {
        jettyLevel = jetty().getLevel();
        jetty().setLevel(ch.qos.logback.classic.Level.INFO);
    }

    @org.junit.jupiter.api.AfterEach
    void restoreJetty() {
        jetty().setLevel(jettyLevel);
    }

    private static ch.qos.logback.classic.Logger jetty() {
        return (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.eclipse.jetty");
    }

    @Test
    void fourHundredClientsThatDoNotReadStarveNothing() throws Exception {
        Path folder = bigPackageFolder();
        Path zip = dir.resolve("packages/gallery-2.0.0.zip");
        TestPackages.zipFolder(folder, "gallery-2.0.0", zip);
        assertThat(Files.size(zip)).isGreaterThan(4L << 20);
        serveUnderLoad(zip.getParent(), zip, false);
    }

    /** The same load on a package kept as a folder, which the server zips itself. */
    @Test
    void fourHundredClientsThatDoNotReadAFolderPackageStarveNothing() throws Exception {
        Path folder = bigPackageFolder();
        Path expected = dir.resolve("expected/gallery-2.0.0.zip");
        TestPackages.zipFolder(folder, "gallery-2.0.0", expected);
        serveUnderLoad(dir.resolve("src"), expected, true);
    }

    /** The gallery package with 5 MB of noise that no compression shrinks. */
    private Path bigPackageFolder() throws Exception {
        Path folder = dir.resolve("src/gallery/2.0.0");
        TestPackages.copyTree(TestPackages.source().resolve("gallery/2.0.0"), folder);
        byte[] noise = new byte[5 << 20];
        new Random(11).nextBytes(noise);
        Files.write(folder.resolve("docs/noise.bin"), noise);
        return folder;
    }

    /** With {@code warm}, one download goes first, as a folder's zip is built by the first request for it. */
    private static void serveUnderLoad(Path packages, Path expectedZip, boolean warm) throws Exception {
        FileSystemIndexer indexer = new FileSystemIndexer(List.of(packages), false, false, dev.wharf.oci.archive.ArchiveLimits.DEFAULT, Clock.systemUTC());
        indexer.start();
        ReadyAnswers ready = new ReadyAnswers(16L << 20);
        EprApi api = new EprApi(indexer, ApiSettings.defaults(), Clock.systemUTC(), ready);
        try (indexer; WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), Optional.of(ready),
                RequestObserver.NONE, ServerLimits.defaults(), api::register)) {
            if (warm) {
                download(server, expectedZip);
            }
            probeUnderLoad(server, expectedZip);
        }
    }

    private static void probeUnderLoad(WebServer server, Path zip) throws Exception {
        long started = System.nanoTime();
        try (SlowReaders slow = SlowReaders.start(new InetSocketAddress("127.0.0.1", server.port()), "/epr/gallery/gallery-2.0.0.zip",
                SLOW_READERS)) {
            System.out.printf("%d slow readers connected and answered in %d ms%n", SLOW_READERS, (System.nanoTime() - started) / 1_000_000);
            HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_BOUND).build();
            for (int i = 0; i < PROBES; i++) {
                long start = System.nanoTime();
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(server.localUri() + "/health"))
                        .timeout(PROBE_BOUND).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).as("probe %d after %d ms", i, (System.nanoTime() - start) / 1_000_000).isEqualTo(200);
            }
            download(server, zip);
        }
    }

    private static void download(WebServer server, Path expected) throws Exception {
        HttpResponse<byte[]> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.localUri()
                + "/epr/gallery/gallery-2.0.0.zip")).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(sha256(download.body())).isEqualTo(sha256(Files.readAllBytes(expected)));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
