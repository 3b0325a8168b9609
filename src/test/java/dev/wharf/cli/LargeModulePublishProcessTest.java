package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.http.access.NewToken;
import dev.wharf.testing.Publishing;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module body of more than 1 GB published to a server whose heap is 64 MB: it can only succeed
 * if the body streams through (to disk, to the store) and is never held whole in memory.
 */
class LargeModulePublishProcessTest {
    static final long FILE_BYTES = 1L << 30;

    @TempDir
    Path dir;

    @Test
    void aOneGigabyteModuleIsPublishedUnderA64MegabyteHeap() throws Exception {
        NewToken ci = Publishing.token("ci", "publish:acme/*");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), ci);
        int port = TestPorts.free();
        try (WharfProcess server = WharfProcess.start(dir.resolve("server"), Map.of(), List.of("-Xmx64m"),
                List.of("boring-registry", "server", "--listen-address", "127.0.0.1:" + port, "--listen-telemetry-address", "127.0.0.1:0",
                        "--storage-oci-layout-dir", dir.resolve("data").toString(), "--auth-tokens-file", tokens.toString()))) {
            URI base = URI.create("http://127.0.0.1:" + port);
            server.awaitHttp(base.resolve("/.well-known/terraform.json"), Duration.ofMinutes(1));
            AtomicLong sent = new AtomicLong();
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/api/v1/modules/acme/big/aws/1.0.0"))
                    .header("Authorization", "Bearer " + ci.token()).header("Content-Type", "application/gzip")
                    .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> largeTarGz(sent))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body() + "\n" + server.output()).isEqualTo(201);
            assertThat(sent.get()).isGreaterThan(FILE_BYTES);
            assertThat(answer.body()).contains("\"size\":" + sent.get());
            assertThat(server.isAlive()).isTrue();
            assertThat(server.output()).doesNotContain("OutOfMemoryError");
        }
    }

    /** A tar.gz of one 1 GiB file, gzip level 0 so the body is as large as the file, made while it is sent. */
    static InputStream largeTarGz(AtomicLong sent) {
        try {
            PipedInputStream in = new PipedInputStream(1 << 16);
            PipedOutputStream pipe = new PipedOutputStream(in);
            Thread writer = new Thread(() -> {
                GzipParameters stored = new GzipParameters();
                stored.setCompressionLevel(0);
                try (OutputStream counted = new java.io.FilterOutputStream(pipe) {
                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            sent.addAndGet(len);
                            out.write(b, off, len);
                        }

                        @Override
                        public void write(int b) throws IOException {
                            sent.incrementAndGet();
                            out.write(b);
                        }
                    };
                     TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(counted, stored))) {
                    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                    TarArchiveEntry entry = new TarArchiveEntry("big.bin");
                    entry.setSize(FILE_BYTES);
                    tar.putArchiveEntry(entry);
                    byte[] block = new byte[1 << 16];
                    for (long done = 0; done < FILE_BYTES; done += block.length) {
                        block[0] = (byte) done;
                        tar.write(block);
                    }
                    tar.closeArchiveEntry();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, "large-body");
            writer.setDaemon(true);
            writer.start();
            return in;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
