package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.http.access.NewToken;
import dev.wharf.testing.Publishing;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed (SIGKILL, as the OOM killer does) while a publish's body streams in leaves the
 * spooled part in its temporary folder; the next server on the same machine removes it at its start,
 * and nothing it uses itself.
 */
class KilledServerLeftoversProcessTest {
    private static final int SENT_BYTES = 8 << 20;
    /** What must have reached the spool file: the rest may still be in the client's and server's buffers. */
    private static final int SPOOLED_BYTES = 4 << 20;

    @TempDir
    Path dir;

    @Test
    void boringRegistryRemovesTheSpoolOfAPublishCutByAKill() throws Exception {
        NewToken ci = Publishing.token("ci", "publish:acme/*");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), ci);
        String kept = killDuringPublishAndRestart(port -> List.of("boring-registry", "server", "--listen-address", "127.0.0.1:" + port,
                        "--listen-telemetry-address", "127.0.0.1:0", "--storage-oci-layout-dir", dir.resolve("data").toString(),
                        "--auth-tokens-file", tokens.toString()),
                "/.well-known/terraform.json", "/api/v1/modules/acme/big/aws/1.0.0", "application/gzip", ci, "wharf-publish-");
        assertThat(kept).as("the second server's own scratch folder stays").startsWith("wharf-mirror-");
    }

    @Test
    void packageRegistryRemovesTheSpoolOfAPublishCutByAKill() throws Exception {
        NewToken ci = Publishing.token("ci", "publish:acme_*");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), ci);
        killDuringPublishAndRestart(port -> List.of("package-registry", "-feature-oci-indexer", "-oci-registry", "oci-layout:" + dir.resolve("data"),
                        "-address", "127.0.0.1:" + port, "-require-package-signatures=false", "-auth-tokens-file", tokens.toString(),
                        "-log-type", "dev"),
                "/health", "/api/v1/packages", "application/zip", ci, "wharf-package-");
    }

    /**
     * Starts a server, kills it while a publish's body is half in, starts another on the same folders
     * and checks that it removed the spool; returns the name of the one entry left in the temporary
     * folder, if any ("" when none).
     */
    private String killDuringPublishAndRestart(IntFunction<List<String>> command, String ready, String publish, String type,
                                               NewToken token, String spoolPrefix) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        CountDownLatch never = new CountDownLatch(1);
        Path spool;
        int port = TestPorts.free();
        try (WharfProcess first = WharfProcess.start(dir.resolve("work"), Map.of(), List.of("-Djava.io.tmpdir=" + tmp), command.apply(port))) {
            URI base = URI.create("http://127.0.0.1:" + port);
            first.awaitHttp(base.resolve(ready), Duration.ofMinutes(1));
            HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(base.resolve(publish))
                            .header("Authorization", "Bearer " + token.token()).header("Content-Type", type)
                            .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> stalling(never))).build(),
                    HttpResponse.BodyHandlers.discarding());
            spool = awaitSpool(first, tmp, spoolPrefix);
            first.kill();
        } finally {
            never.countDown();
        }
        assertThat(spool).as("SIGKILL runs no clean-up").isDirectory();
        assertThat(bytesUnder(spool)).isBetween((long) SPOOLED_BYTES, (long) SENT_BYTES);

        int secondPort = TestPorts.free();
        try (WharfProcess second = WharfProcess.start(dir.resolve("work"), Map.of(), List.of("-Djava.io.tmpdir=" + tmp),
                command.apply(secondPort))) {
            second.awaitHttp(URI.create("http://127.0.0.1:" + secondPort + ready), Duration.ofMinutes(1));
            String said = second.awaitOutput("left by Wharf processes that were killed", Duration.ofMinutes(1));
            assertThat(said).contains(spool.toString());
            assertThat(spool).doesNotExist();
            try (Stream<Path> left = Files.list(tmp)) {
                List<String> names = left.map(p -> p.getFileName().toString()).toList();
                assertThat(names).hasSizeLessThanOrEqualTo(1);
                return names.isEmpty() ? "" : names.get(0);
            }
        }
    }

    /** The publish's scratch folder, once {@link #SPOOLED_BYTES} of the body are in it. */
    private static Path awaitSpool(WharfProcess server, Path tmp, String prefix) throws IOException {
        long end = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < end) {
            try (Stream<Path> folders = Files.list(tmp)) {
                for (Path folder : folders.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                    if (bytesUnder(folder) >= SPOOLED_BYTES) {
                        return folder;
                    }
                }
            }
            assertThat(server.isAlive()).as(server.output()).isTrue();
            LockSupport.parkNanos(20_000_000);
        }
        throw new AssertionError("no spooled body in " + tmp + ":\n" + server.output());
    }

    private static long bytesUnder(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** {@link #SENT_BYTES} of a body, then a read that waits until {@code release}, which never comes. */
    private static InputStream stalling(CountDownLatch release) {
        return new InputStream() {
            private int given;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (given >= SENT_BYTES) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted", e);
                    }
                    return -1;
                }
                int n = Math.min(len, SENT_BYTES - given);
                given += n;
                return n;
            }
        };
    }
}
