package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.cli.boring.EnvironmentDefaults;
import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.SlowReaders;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The slow-reader attack on boring-registry's downloads, bounded: a 5 MB module asked for by 400
 * clients that stop reading once the answer has begun, on every path a download takes: kept in the
 * download cache, streamed from a real docker-registry (with no cache, and on a cache miss) and read
 * from the embedded OCI image layout. The API and {@code /health} must go on answering meanwhile, and
 * a full download must still arrive whole: a client that does not read may hold a connection, never
 * a request thread.
 */
class BoringRegistrySlowReadersTest {
    private static final int SLOW_READERS = 400;
    private static final int PROBES = 16;
    private static final Duration PROBE_BOUND = Duration.ofSeconds(5);
    /**
     * How long the registry-backed answers get to begin, and the store's response timeout and retry
     * budget with them.
     * Each stalled download has docker-registry push about 2.6 MB into socket buffers before it stalls
     * too (measured with ss), and 400 of them at once took it past the store's 5 s response timeout and
     * 8 s retry budget on 2 busy cores: the setup failed with 503s on session 11's code and on session 12's
     * alike (bench/RESULTS.md, session 12). That is the fixture's
     * capacity; what is checked is the probes, which keep their 5 s.
     */
    private static final Duration BEGIN_BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private DockerRegistryServer registry;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_BOUND).build();

    /** Jetty's level before: an in-process server of a class before this one may have set it (WARN). */
    private ch.qos.logback.classic.@org.jspecify.annotations.Nullable Level jettyLevel;

    @BeforeEach
    void quietJetty() {
        jettyLevel = jetty().getLevel();
        jetty().setLevel(ch.qos.logback.classic.Level.INFO);
    }

    @AfterEach
    void stop() {
        jetty().setLevel(jettyLevel);
        if (registry != null) {
            registry.close();
        }
    }

    private static ch.qos.logback.classic.Logger jetty() {
        return (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.eclipse.jetty");
    }

    @Test
    void fourHundredClientsThatDoNotReadACachedDownloadStarveNothing() throws Exception {
        List<String> storage = registryWithModule();
        try (ServerCommand.Running running = start(storage, "--download-proxy", "--download-cache-dir", dir.resolve("cache").toString())) {
            String file = fileUrl(running);
            // The first download fills the cache; the slow readers are served from it.
            byte[] first = download(running, file);
            assertThat(first.length).isGreaterThan(4 << 20);
            probeUnderLoad(running, file);
        }
    }

    @Test
    void fourHundredClientsThatDoNotReadADownloadStreamedFromTheRegistryStarveNothing() throws Exception {
        List<String> storage = registryWithModule();
        try (ServerCommand.Running running = start(storage, "--download-proxy")) {
            String file = fileUrl(running);
            probeUnderLoad(running, file);
        }
    }

    @Test
    void fourHundredClientsThatDoNotReadADownloadMissingFromTheCacheStarveNothingAndLeaveNothing() throws Exception {
        List<String> storage = registryWithModule();
        Path cache = dir.resolve("cache");
        try (ServerCommand.Running running = start(storage, "--download-proxy", "--download-cache-dir", cache.toString())) {
            String file = fileUrl(running);
            // No download went first: every slow reader misses the cache and streams from the registry.
            probeUnderLoad(running, file);
            // Closed before their end, the slow readers' copies leave no half-written file behind. One of
            // them may have held the keeping (one copy at a time keeps, and a stalled one is superseded
            // only after 5 s), so the probes' whole download may not have kept the file: the next one does.
            awaitNoPartFiles(cache);
            download(running, file);
            // The client may have every byte before the server reads the end of the registry's stream and keeps the file.
            awaitNoPartFiles(cache);
            try (Stream<Path> kept = Files.list(cache)) {
                assertThat(kept.map(p -> p.getFileName().toString())).singleElement().asString().startsWith("sha256-");
            }
        }
    }

    @Test
    void fourHundredClientsThatDoNotReadAFileOfTheImageLayoutStarveNothing() throws Exception {
        Path layout = dir.resolve("layout");
        upload(List.of("--storage-oci-layout-dir", layout.toString()));
        try (ServerCommand.Running running = start(List.of("--storage-oci-layout-dir", layout.toString()))) {
            String file = fileUrl(running);
            assertThat(file).as("the layout's files are served by Wharf itself").startsWith("/");
            probeUnderLoad(running, file);
        }
    }

    private List<String> registryWithModule() throws IOException {
        registry = DockerRegistryServer.builder(dir.resolve("registry")).start();
        List<String> storage = List.of("--storage-oci-registry", registry.host(), "--storage-oci-insecure",
                "--storage-oci-response-timeout", BEGIN_BOUND.toSeconds() + "s", "--storage-oci-retry-budget", BEGIN_BOUND.toSeconds() + "s");
        upload(storage);
        return storage;
    }

    private void upload(List<String> storage) throws IOException {
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
        List<String> args = new ArrayList<>(List.of("upload", "module"));
        args.addAll(storage);
        args.add(module.toString());
        StringWriter err = new StringWriter();
        int uploaded = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                .execute(args.toArray(String[]::new));
        assertThat(uploaded).as(err.toString()).isZero();
    }

    private ServerCommand.Running start(List<String> storage, String... more) {
        List<String> args = new ArrayList<>(List.of("--listen-address", "127.0.0.1:0", "--listen-telemetry-address", "127.0.0.1:0"));
        args.addAll(storage);
        args.addAll(List.of(more));
        ServerCommand command = new ServerCommand();
        new CommandLine(command).setDefaultValueProvider(new EnvironmentDefaults(Map.of())).parseArgs(args.toArray(String[]::new));
        return command.start();
    }

    private String fileUrl(ServerCommand.Running running) throws Exception {
        HttpResponse<Void> download = http.send(HttpRequest.newBuilder(running.registry().localUri()
                .resolve("/v1/modules/acme/big/aws/1.0.0/download")).build(), HttpResponse.BodyHandlers.discarding());
        return download.headers().firstValue("X-Terraform-Get").orElseThrow();
    }

    /** A whole download, checked against the digest its ETag names (the stored layer's). */
    private byte[] download(ServerCommand.Running running, String file) throws Exception {
        HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(running.registry().localUri().resolve(file))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        String etag = answer.headers().firstValue("ETag").orElseThrow();
        assertThat("\"sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(answer.body())) + "\"").isEqualTo(etag);
        return answer.body();
    }

    private void probeUnderLoad(ServerCommand.Running running, String file) throws Exception {
        try (SlowReaders slow = SlowReaders.start(new InetSocketAddress("127.0.0.1", running.registry().port()), file, SLOW_READERS,
                BEGIN_BOUND)) {
            for (int i = 0; i < PROBES; i++) {
                long start = System.nanoTime();
                HttpResponse<String> discovery = http.send(HttpRequest.newBuilder(running.registry().localUri()
                        .resolve("/.well-known/terraform.json")).timeout(PROBE_BOUND).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(discovery.statusCode()).as("probe %d after %d ms", i, (System.nanoTime() - start) / 1_000_000).isEqualTo(200);
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(running.telemetry().localUri().resolve("/health"))
                        .timeout(PROBE_BOUND).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).as("health probe %d", i).isEqualTo(200);
            }
            assertThat(download(running, file).length).isGreaterThan(4 << 20);
        }
    }

    private static void awaitNoPartFiles(Path cache) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        List<String> parts;
        do {
            try (Stream<Path> files = Files.list(cache)) {
                parts = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".part")).toList();
            }
            if (parts.isEmpty()) {
                return;
            }
            LockSupport.parkNanos(20_000_000);
        } while (System.nanoTime() < deadline);
        assertThat(parts).as("half-written files left in the download cache").isEmpty();
    }
}
