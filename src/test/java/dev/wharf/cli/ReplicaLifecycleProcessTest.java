package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import dev.wharf.epr.TestPackages;
import dev.wharf.oci.Digest;
import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.oci.registry.RetryPolicy;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.FaultProxy;
import dev.wharf.testing.TestModules;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a replica behind a load balancer needs of one process, each program run as a user runs it:
 * readiness apart from liveness ({@code /health?ready=true} answers 503 until the warm-up is done),
 * SIGTERM drains the requests in flight within a bounded wait, and a signed file URL handed out by
 * one replica downloads from another when they share {@code --signed-url-key} (and is refused, with
 * a warning at start, when they do not).
 */
class ReplicaLifecycleProcessTest {
    private static final Duration START = Duration.ofSeconds(90);
    private static final String TOKEN = "replica-token-5b1e";
    private static final int BIG_FILE_BYTES = 40 << 20;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void packageRegistryIsAliveButNotReadyUntilItsFirstIndexIsLoaded() throws Exception {
        withTheFirstIndexStalled((proxy, serve, base) -> {
            HttpResponse<String> live = get(base.resolve("/health"));
            assertThat(live.statusCode()).as("liveness while indexing").isEqualTo(200);
            assertThat(live.body()).contains("\"status\": \"starting\"");
            HttpResponse<String> notReady = get(base.resolve("/health?ready=true"));
            assertThat(notReady.statusCode()).as("readiness while indexing").isEqualTo(503);
            assertThat(notReady.body()).contains("\"status\": \"starting\"");
            HttpResponse<String> search = get(base.resolve("/search"));
            assertThat(search.statusCode()).as("an empty index is never served as the answer").isEqualTo(503);
            assertThat(search.body()).isEqualTo("the package index is still loading; retry shortly\n");

            proxy.heal();
            serve.awaitReady(base.resolve("/health"), START);
            assertThat(get(base.resolve("/health")).body()).contains("\"status\": \"healthy\"");
            assertThat(get(base.resolve("/search?all=true")).body()).contains("acme_logs");
        });
    }

    @Test
    void aStopWhileTheFirstIndexWaitsForTheRegistryEndsTheProcessAtOnce() throws Exception {
        withTheFirstIndexStalled((proxy, serve, base) -> {
            long begun = System.nanoTime();
            serve.terminate();
            // Nothing is served yet, so there is nothing to drain: the stop waits neither for the stalled
            // registry nor for the drain time (25 s by default).
            assertThat(serve.waitFor(Duration.ofSeconds(60))).as(serve.output()).isZero();
            Duration took = Duration.ofNanos(System.nanoTime() - begun);
            System.out.println("a stop during the first index took " + took.toMillis() + " ms");
            assertThat(took).as(serve.output()).isLessThan(Duration.ofSeconds(10));
            assertThat(serve.output()).contains("stopped before the first index was loaded");
        });
    }

    /** What a test does with package-registry while its first index waits for the registry. */
    @FunctionalInterface
    private interface WhileStalled {
        void check(FaultProxy proxy, WharfProcess serve, URI base) throws Exception;
    }

    /** package-registry on the test packages, its first index hanging on the manifest reads until the proxy heals. */
    private void withTheFirstIndexStalled(WhileStalled check) throws Exception {
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
                RegistryArtifactStore direct = new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty()),
                        CredentialSource.fixed(new Credentials.Anonymous(), "test"), RetryPolicy.none(), null);
                FaultProxy proxy = FaultProxy.before(registry.host())) {
            TestPackages.publishAll(direct, dir);
            proxy.inject(FaultProxy.Fault.STALL, FaultProxy.Request::isManifestRead);
            int port = TestPorts.free();
            try (WharfProcess serve = WharfProcess.start(dir.resolve("serve"), Map.of(), List.of("package-registry",
                    "-feature-oci-indexer", "-oci-registry", "http://" + proxy.host(), "-oci-repository", TestPackages.REPOSITORY,
                    "-address", "127.0.0.1:" + port, "-require-package-signatures=false", "-log-type", "dev",
                    "-oci-cache-dir", dir.resolve("cache").toString()))) {
                URI base = URI.create("http://127.0.0.1:" + port);
                serve.awaitHttp(base.resolve("/health"), START);
                await(() -> proxy.requests().stream().anyMatch(FaultProxy.Request::isManifestRead), "the first index to read a manifest");
                check.check(proxy, serve, base);
            }
        }
    }

    @Test
    void boringRegistryIsNotReadyUntilStorageHasAnsweredOnce() throws Exception {
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
                FaultProxy proxy = FaultProxy.before(registry.host())) {
            proxy.inject(FaultProxy.Fault.STATUS_503);
            int port = TestPorts.free();
            int telemetry = TestPorts.free();
            try (WharfProcess server = WharfProcess.start(dir.resolve("server"), Map.of(), List.of("boring-registry", "server",
                    "--listen-address", "127.0.0.1:" + port, "--listen-telemetry-address", "127.0.0.1:" + telemetry,
                    "--storage-oci-registry", "http://" + proxy.host(), "--storage-oci-health-timeout", "400ms"))) {
                URI health = URI.create("http://127.0.0.1:" + telemetry + "/health");
                server.awaitHttp(health, START);
                assertThat(get(URI.create(health + "?ready=true")).statusCode()).isEqualTo(503);
                proxy.heal();
                server.awaitReady(health, START);
                assertThat(get(health).statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void sigtermLetsADownloadInFlightFinishAndTheWaitIsBounded() throws Exception {
        Path layout = publishBigModule();
        byte[] expected;
        int port = TestPorts.free();
        try (WharfProcess server = startOnLayout("drain", layout, port, List.of("--shutdown-timeout", "20s"))) {
            String file = fileUrl(port);
            expected = getBytes(URI.create("http://127.0.0.1:" + port + file));
            assertThat(expected.length).isGreaterThan(BIG_FILE_BYTES);
            try (SlowDownload download = SlowDownload.start(port, file)) {
                download.read(1 << 20);
                // Made after the download stopped reading, so its connection was idle for less time.
                try (Socket idle = keptAlive(port)) {
                    server.terminate();
                    await(() -> server.output().contains("stopping: no new connections"), "the shutdown to begin");
                    await(() -> !WharfProcess.accepts(port), "the listener to close");
                    assertThat(server.isAlive()).as("waiting for the download in flight").isTrue();
                    // A kept-alive connection with nothing in flight is closed soon, not held open for the
                    // drain: by the one-second idle timeout Jetty gives every connection once a stop begins.
                    // Its closing is also when the paused download, idle for longer, had been cut.
                    assertThat(idle.getInputStream().read()).as("the idle connection closed by the server").isEqualTo(-1);
                }
                byte[] rest = download.readToEnd();
                assertThat(download.received()).isEqualTo(download.contentLength()).isEqualTo(expected.length);
                assertThat(Digest.sha256(download.bytes()).hex()).isEqualTo(Digest.sha256(expected).hex());
                assertThat(rest).isNotEmpty();
            }
            assertThat(server.waitFor(Duration.ofSeconds(30))).as(server.output()).isZero();
            assertThat(server.output()).contains("drained in");
        }

        // A client that stops reading holds the shutdown for --shutdown-timeout, not for ever.
        int stalledPort = TestPorts.free();
        try (WharfProcess server = startOnLayout("bounded", layout, stalledPort,
                List.of("--shutdown-timeout", "1s", "--http-idle-timeout", "120s"))) {
            try (SlowDownload stalled = SlowDownload.start(stalledPort, fileUrl(stalledPort))) {
                stalled.read(1 << 20);
                long begun = System.nanoTime();
                server.terminate();
                server.waitFor(Duration.ofSeconds(60));
                Duration took = Duration.ofNanos(System.nanoTime() - begun);
                System.out.println("shutdown with a stalled download and --shutdown-timeout 1s took " + took.toMillis() + " ms");
                assertThat(took).as("bounded by --shutdown-timeout, not by the 120 s idle timeout").isLessThan(Duration.ofSeconds(20));
            }
        }
    }

    @Test
    void aStoppedServerExitsWithZeroAndLeavesNothingInTheTemporaryFolder() throws Exception {
        // Each start had left an empty wharf-mirror-… folder in /tmp: thousands on a host whose replicas restart.
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> jvm = List.of("-Xmx256m", "-Djava.io.tmpdir=" + tmp);
        int port = TestPorts.free();
        int telemetry = TestPorts.free();
        WharfProcess boring = WharfProcess.start(dir.resolve("boring"), Map.of(), jvm, List.of("boring-registry", "server",
                "--listen-address", "127.0.0.1:" + port, "--listen-telemetry-address", "127.0.0.1:" + telemetry,
                "--storage-oci-layout-dir", dir.resolve("data").toString()));
        try (boring) {
            boring.awaitReady(URI.create("http://127.0.0.1:" + telemetry + "/health"), START);
            assertThat(getBytesStatus(URI.create("http://127.0.0.1:" + port + "/v1/mirror/registry.terraform.io/hashicorp/null/index.json")))
                    .as("the network mirror, on by default").isEqualTo(404);
            assertThat(names(tmp)).as("the mirror's scratch folder while serving").singleElement(STRING)
                    .startsWith("wharf-mirror-");
            boring.terminate();
            assertThat(boring.waitFor(Duration.ofSeconds(30))).as("a stop that went as asked ends with 0, not 143:\n" + boring.output()).isZero();
        }
        assertThat(names(tmp)).as("after SIGTERM:\n" + boring.output()).isEmpty();

        // package-registry keeps the zips it builds of package folders in a folder of its own.
        Path work = dir.resolve("epr");
        TestPackages.fileSystemLayout(work);
        int eprPort = TestPorts.free();
        WharfProcess epr = WharfProcess.start(work, Map.of(), jvm, List.of("package-registry", "-address", "127.0.0.1:" + eprPort,
                "-require-package-signatures=false"));
        try (epr) {
            epr.awaitReady(URI.create("http://127.0.0.1:" + eprPort + "/health"), START);
            assertThat(getBytesStatus(URI.create("http://127.0.0.1:" + eprPort + "/epr/acme_logs/acme_logs-1.0.0.zip"))).isEqualTo(200);
            assertThat(names(tmp)).as("the zips of package folders while serving").singleElement(STRING)
                    .startsWith("wharf-package-zips-");
            epr.terminate();
            assertThat(epr.waitFor(Duration.ofSeconds(30))).as("a stop that went as asked ends with 0, not 143:\n" + epr.output()).isZero();
        }
        assertThat(names(tmp)).as("after SIGTERM:\n" + epr.output()).isEmpty();
    }

    private static List<String> names(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aSignedUrlFromOneReplicaDownloadsFromAnotherWithASharedKey() throws Exception {
        Path layout = dir.resolve("data");
        Path module = TestModules.write(dir.resolve("module"), "shared", "1.0.0", "signed across replicas");
        upload(layout, module);
        List<String> sharedKey = List.of("--auth-static-token", TOKEN, "--signed-url-key", "replica-shared-key-0f9d3c");
        int a = TestPorts.free();
        int b = TestPorts.free();
        try (WharfProcess replicaA = startOnLayout("a", layout, a, sharedKey);
                WharfProcess replicaB = startOnLayout("b", layout, b, sharedKey)) {
            String file = signedFileUrl(a, "shared");
            assertThat(getBytesStatus(URI.create("http://127.0.0.1:" + b + file))).isEqualTo(200);
            assertThat(replicaA.output()).doesNotContain("will refuse each other's URLs");
            assertThat(replicaB.output()).doesNotContain("will refuse each other's URLs");
        }
        // Without a key each process signs with its own random one: the other replica refuses, and said so at start.
        List<String> noKey = List.of("--auth-static-token", TOKEN);
        int c = TestPorts.free();
        int d = TestPorts.free();
        try (WharfProcess replicaC = startOnLayout("c", layout, c, noKey);
                WharfProcess replicaD = startOnLayout("d", layout, d, noKey)) {
            String file = signedFileUrl(c, "shared");
            assertThat(getBytesStatus(URI.create("http://127.0.0.1:" + c + file))).isEqualTo(200);
            assertThat(getBytesStatus(URI.create("http://127.0.0.1:" + d + file))).isEqualTo(403);
            assertThat(replicaC.output()).contains("replicas behind one load balancer will refuse each other's URLs")
                    .contains("--signed-url-key");
        }
    }

    private Path publishBigModule() throws IOException {
        Path layout = dir.resolve("data");
        Path module = TestModules.write(dir.resolve("module"), "big", "1.0.0", "large enough to be in flight");
        byte[] noise = new byte[BIG_FILE_BYTES];
        new Random(16).nextBytes(noise);
        Files.write(module.resolve("noise.bin"), noise);
        upload(layout, module);
        return layout;
    }

    private static void upload(Path layout, Path module) {
        WharfProcess upload = WharfProcess.start(module.resolveSibling("upload-" + module.getFileName()), Map.of(), List.of(
                "boring-registry", "upload", "module", "--storage-oci-layout-dir", layout.toString(),
                "--storage-module-archive-format", "zip", module.toString()));
        assertThat(upload.waitFor(START)).as(upload.output()).isZero();
    }

    private WharfProcess startOnLayout(String name, Path layout, int port, List<String> extra) {
        int telemetry = TestPorts.free();
        List<String> args = new ArrayList<>(List.of("boring-registry", "server", "--listen-address", "127.0.0.1:" + port,
                "--listen-telemetry-address", "127.0.0.1:" + telemetry, "--storage-oci-layout-dir", layout.toString()));
        args.addAll(extra);
        WharfProcess server = WharfProcess.start(dir.resolve(name), Map.of(), args);
        server.awaitReady(URI.create("http://127.0.0.1:" + telemetry + "/health"), START);
        return server;
    }

    /** The file URL the registry hands terraform for the big module (unsigned: no tokens set). */
    private String fileUrl(int port) throws Exception {
        return downloadLocation(port, "big", Optional.empty());
    }

    private String signedFileUrl(int port, String name) throws Exception {
        return downloadLocation(port, name, Optional.of(TOKEN));
    }

    private String downloadLocation(int port, String name, Optional<String> token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/modules/acme/" + name + "/aws/1.0.0/download"));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
        String location = answer.headers().firstValue("X-Terraform-Get").orElseThrow();
        assertThat(location).startsWith("/");
        return location;
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private byte[] getBytes(URI uri) throws Exception {
        HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    private int getBytesStatus(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void await(BooleanSupplier condition, String what) {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            LockSupport.parkNanos(50_000_000);
        }
    }

    /** A connection that made one request, read its whole answer and stays open with nothing in flight. */
    private static Socket keptAlive(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(15_000);
        socket.getOutputStream().write(("GET /v1/modules/acme/big/aws/versions HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed in the headers: " + head);
            }
            head.append((char) b);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("connection: close");
        long length = head.toString().lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
                .map(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).trim())).findFirst()
                .orElseThrow(() -> new AssertionError("no Content-Length in " + head));
        assertThat(in.readNBytes((int) length)).hasSize((int) length);
        return socket;
    }

    /** A download by a client that reads when told to: a small receive window, so the server cannot be done early. */
    private static final class SlowDownload implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final long contentLength;

        private SlowDownload(Socket socket, InputStream in, long contentLength) {
            this.socket = socket;
            this.in = in;
            this.contentLength = contentLength;
        }

        static SlowDownload start(int port, String path) throws IOException {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(16 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the connection closed in the headers: " + head);
                }
                head.append((char) b);
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 200");
            long length = head.toString().lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
                    .map(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).trim())).findFirst()
                    .orElseThrow(() -> new AssertionError("no Content-Length in " + head));
            return new SlowDownload(socket, in, length);
        }

        void read(int bytes) throws IOException {
            byte[] buffer = in.readNBytes(bytes);
            body.write(buffer);
            assertThat(buffer).hasSize(bytes);
        }

        byte[] readToEnd() throws IOException {
            byte[] rest = in.readAllBytes();
            body.write(rest);
            return rest;
        }

        long received() {
            return body.size();
        }

        long contentLength() {
            return contentLength;
        }

        byte[] bytes() {
            return body.toByteArray();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
