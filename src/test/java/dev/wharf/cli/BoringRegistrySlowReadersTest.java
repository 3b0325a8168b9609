package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.cli.boring.EnvironmentDefaults;
import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.SlowReaders;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The slow-reader attack on boring-registry's proxied downloads, bounded: a 5 MB module streamed
 * through Wharf from a real docker-registry and kept in the download cache, then asked for by 400
 * clients that stop reading once the answer has begun. The API must go on answering meanwhile.
 */
class BoringRegistrySlowReadersTest {
    private static final int SLOW_READERS = 400;
    private static final Duration PROBE_BOUND = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    private DockerRegistryServer registry;

    @BeforeEach
    void quietJetty() {
        jetty().setLevel(ch.qos.logback.classic.Level.INFO);
    }

    @AfterEach
    void stop() {
        jetty().setLevel(null);
        if (registry != null) {
            registry.close();
        }
    }

    private static ch.qos.logback.classic.Logger jetty() {
        return (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.eclipse.jetty");
    }

    @Test
    void fourHundredClientsThatDoNotReadACachedDownloadStarveNothing() throws Exception {
        registry = DockerRegistryServer.builder(dir.resolve("registry")).start();
        Path module = Files.createDirectories(dir.resolve("module"));
        Files.writeString(module.resolve("boring-registry.hcl"), """
                metadata {
                  namespace = "acme"
                  name      = "big"
                  provider  = "aws"
                  version   = "1.0.0"
                }
                """);
        byte[] noise = new byte[5 << 20];
        new Random(7).nextBytes(noise);
        Files.write(module.resolve("noise.bin"), noise);
        StringWriter err = new StringWriter();
        int uploaded = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                .execute("upload", "module", "--storage-oci-registry", registry.host(), "--storage-oci-insecure", module.toString());
        assertThat(uploaded).as(err.toString()).isZero();

        ServerCommand command = new ServerCommand();
        new CommandLine(command).setDefaultValueProvider(new EnvironmentDefaults(Map.of())).parseArgs("--listen-address", "127.0.0.1:0",
                "--listen-telemetry-address", "127.0.0.1:0", "--storage-oci-registry", registry.host(), "--storage-oci-insecure",
                "--download-proxy", "--download-cache-dir", dir.resolve("cache").toString());
        try (ServerCommand.Running running = command.start()) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_BOUND).build();
            HttpResponse<Void> download = http.send(HttpRequest.newBuilder(running.registry().localUri()
                    .resolve("/v1/modules/acme/big/aws/1.0.0/download")).build(), HttpResponse.BodyHandlers.discarding());
            String file = download.headers().firstValue("X-Terraform-Get").orElseThrow();
            // The first download fills the cache; the slow readers are served from it.
            HttpResponse<byte[]> first = http.send(HttpRequest.newBuilder(running.registry().localUri().resolve(file)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.body().length).isGreaterThan(4 << 20);

            try (SlowReaders slow = SlowReaders.start(new InetSocketAddress("127.0.0.1", running.registry().port()), file, SLOW_READERS)) {
                for (int i = 0; i < 16; i++) {
                    long start = System.nanoTime();
                    HttpResponse<String> discovery = http.send(HttpRequest.newBuilder(running.registry().localUri()
                            .resolve("/.well-known/terraform.json")).timeout(PROBE_BOUND).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(discovery.statusCode()).as("probe %d after %d ms", i, (System.nanoTime() - start) / 1_000_000)
                            .isEqualTo(200);
                }
                HttpResponse<byte[]> again = http.send(HttpRequest.newBuilder(running.registry().localUri().resolve(file))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(again.body()).isEqualTo(first.body());
            }
        }
    }
}
