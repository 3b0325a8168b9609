package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.TestPackages;
import dev.wharf.epr.publish.PackagePublisher;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.http.RequestIds;
import dev.wharf.http.access.NewToken;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.Publishing;
import dev.wharf.testing.TestModules;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each server runs with its largest file limited to 1 MB ({@code ulimit -f}), so the kernel refuses
 * its writes past that as it would on a full disk, in front of a real docker-registry, with 4 MB
 * artifacts. boring-registry's download cache must cost the cache, never the download: each download
 * streams from the registry, fails to be kept, and still arrives whole and matching its digest.
 * package-registry serves a zip only once it is on disk and checked against the package's config, so
 * it cannot serve that one: it must say so in one clear answer and one log line, and serve the rest.
 * A publish over HTTP whose body the disk cannot take is answered 507 (Insufficient Storage), not as
 * if the client's upload had broken off, the audit line says 507, and nothing is stored.
 */
class FullDiskProcessTest {
    private static final long FILE_LIMIT_KB = 1024;

    @TempDir
    Path dir;

    @Test
    void aCacheWriteRefusedByTheDiskStillSendsTheWholeDownload() throws Exception {
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"))) {
            List<String> storage = List.of("--storage-oci-registry", registry.host(), "--storage-oci-insecure");
            uploadModuleOf4Mb(storage);
            Path cache = dir.resolve("cache");
            int port = TestPorts.free();
            List<String> server = new ArrayList<>(List.of("boring-registry", "server", "--listen-address", "127.0.0.1:" + port,
                    "--listen-telemetry-address", "127.0.0.1:0", "--download-proxy", "--download-cache-dir", cache.toString()));
            server.addAll(storage);
            try (WharfProcess wharf = WharfProcess.startWithFileSizeLimit(dir.resolve("work"), Map.of(), server, FILE_LIMIT_KB)) {
                URI base = URI.create("http://127.0.0.1:" + port);
                wharf.awaitHttp(base.resolve("/.well-known/terraform.json"), Duration.ofMinutes(1));
                HttpClient http = HttpClient.newHttpClient();
                String file = http.send(HttpRequest.newBuilder(base.resolve("/v1/modules/acme/big/aws/1.0.0/download")).build(),
                        HttpResponse.BodyHandlers.discarding()).headers().firstValue("X-Terraform-Get").orElseThrow();

                for (int i = 0; i < 2; i++) {
                    HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(base.resolve(file)).timeout(Duration.ofSeconds(30)).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    assertThat(answer.statusCode()).isEqualTo(200);
                    assertThat(answer.body().length).as("download %d", i).isGreaterThan(4 << 20);
                    assertThat("\"sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(answer.body())) + "\"")
                            .as("download %d against the layer's digest", i).isEqualTo(answer.headers().firstValue("ETag").orElseThrow());
                }
                List<String> said = awaitLines(wharf, "cannot keep", 2);
                assertThat(said).as("one line per download").hasSize(2)
                        .allSatisfy(l -> assertThat(l).contains("in the download cache", "serving it from the store", "File too large"));
                try (Stream<Path> left = Files.list(cache)) {
                    assertThat(left).as("no half-written file stays").isEmpty();
                }
            }
        }
    }

    @Test
    void packageRegistryAnswersAZipItCannotKeepWithOneClearErrorAndServesTheRest() throws Exception {
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"))) {
            Path folder = dir.resolve("big/acme_logs/1.0.0");
            TestPackages.copyTree(TestPackages.source().resolve("acme_logs/1.0.0"), folder);
            byte[] noise = new byte[(4 << 20) + 4096];
            new Random(12).nextBytes(noise);
            Files.write(folder.resolve("docs/noise.bin"), noise);
            try (ArtifactStore store = new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty()))) {
                new PackagePublisher(store, TestPackages.REPOSITORY, 64L << 20, true).push(folder, w -> { });
            }
            Path cache = dir.resolve("epr-cache");
            int port = TestPorts.free();
            List<String> server = List.of("package-registry", "-feature-oci-indexer", "-oci-registry", registry.host(), "-oci-insecure",
                    "-oci-repository", TestPackages.REPOSITORY, "-oci-cache-dir", cache.toString(), "-require-package-signatures=false",
                    "-address", "127.0.0.1:" + port, "-metrics-address", "127.0.0.1:0", "-log-type", "dev");
            try (WharfProcess wharf = WharfProcess.startWithFileSizeLimit(dir.resolve("work"), Map.of(), server, FILE_LIMIT_KB)) {
                URI base = URI.create("http://127.0.0.1:" + port);
                wharf.awaitReady(base.resolve("/health"), Duration.ofMinutes(1));
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> search = http.send(HttpRequest.newBuilder(base.resolve("/search?package=acme_logs")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(search.statusCode()).isEqualTo(200);
                assertThat(search.body()).contains("\"version\": \"1.0.0\"");

                HttpResponse<String> zip = http.send(HttpRequest.newBuilder(base.resolve("/epr/acme_logs/acme_logs-1.0.0.zip")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(zip.statusCode()).as(zip.body()).isEqualTo(507);
                assertThat(zip.body()).contains("the server's disk refused a write", "request id").doesNotContain("Insufficient", cache.toString());
                assertThat(zip.headers().firstValue("Content-Length")).hasValue(String.valueOf(zip.body().length()));
                assertThat(awaitLines(wharf, "GET /epr/acme_logs/acme_logs-1.0.0.zip: cannot write", 1)).singleElement().asString()
                        .contains("File too large");

                HttpResponse<String> manifest = http.send(HttpRequest.newBuilder(base.resolve("/package/acme_logs/1.0.0/")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(manifest.statusCode()).as("the package's own answer comes from the index").isEqualTo(200);
                try (Stream<Path> blobs = Files.list(cache.resolve("blobs"))) {
                    assertThat(blobs).as("no half-written zip stays").isEmpty();
                }
            }
        }
    }

    @Test
    void boringRegistryAnswersAPublishItsDiskCannotTake507AndStoresNothing() throws Exception {
        NewToken ci = Publishing.token("ci", "publish:acme/*");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), ci);
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"))) {
            int port = TestPorts.free();
            List<String> server = List.of("boring-registry", "server", "--listen-address", "127.0.0.1:" + port,
                    "--listen-telemetry-address", "127.0.0.1:0", "--auth-tokens-file", tokens.toString(),
                    "--storage-oci-registry", registry.host(), "--storage-oci-insecure");
            try (WharfProcess wharf = WharfProcess.startWithFileSizeLimit(dir.resolve("work"), Map.of(), server, FILE_LIMIT_KB)) {
                URI base = URI.create("http://127.0.0.1:" + port);
                wharf.awaitHttp(base.resolve("/.well-known/terraform.json"), Duration.ofMinutes(1));
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> publish = Publishing.put(http, base.resolve("/api/v1/modules/acme/big/aws/1.0.0"), ci.token(),
                        "application/gzip", HttpRequest.BodyPublishers.ofByteArray(noise(13)));
                assertThat(publish.statusCode()).as(publish.body()).isEqualTo(507);
                assertThat(publish.body()).contains("the server's disk refused a write", "request id").doesNotContain("wharf-publish-");
                assertThat(awaitLines(wharf, "publish module acme/big/aws/1.0.0 by ci", 1)).singleElement().asString().contains(": 507 failed");
                assertThat(awaitLines(wharf, "File too large", 1)).as("the reason is in the log").isNotEmpty();

                // A provider release is multipart: Jetty writes its parts to disk while it parses.
                HttpResponse<String> release = Publishing.put(http, base.resolve("/api/v1/providers/acme/big/1.0.0"), ci.token(),
                        Publishing.MULTIPART_TYPE, HttpRequest.BodyPublishers.ofByteArray(Publishing.multipart(Map.of(
                                "terraform-provider-big_1.0.0_SHA256SUMS", "0".repeat(64).getBytes(StandardCharsets.UTF_8),
                                "terraform-provider-big_1.0.0_linux_amd64.zip", noise(15)))));
                assertThat(release.statusCode()).as(release.body()).isEqualTo(507);
                assertThat(release.body()).contains("the server's disk refused a write (request id "
                        + release.headers().firstValue(RequestIds.HEADER).orElseThrow() + ";");
                assertThat(awaitLines(wharf, "publish provider acme/big/1.0.0 by ci", 1)).singleElement().asString().contains(": 507 failed");
                assertThat(releaseOnOneConnection(port, "/api/v1/providers/acme/big/1.0.0", ci.token(), Publishing.multipart(Map.of(
                        "terraform-provider-big_1.0.0_SHA256SUMS", "0".repeat(64).getBytes(StandardCharsets.UTF_8),
                        "terraform-provider-big_1.0.0_linux_amd64.zip", noise(17))), "/.well-known/terraform.json"))
                        .startsWith("HTTP/1.1 507 ").doesNotContainIgnoringCase("Connection: close").contains("HTTP/1.1 200 OK");

                try (ArtifactStore store = new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty()))) {
                    assertThat(store.listTags(TestModules.LAYOUT.providerRepository("acme", "big"))).isEmpty();
                    assertThat(store.exists(TestModules.LAYOUT.moduleRepository("acme", "big", "aws"),
                            TestModules.LAYOUT.moduleTag("acme", "big", "aws", "1.0.0"))).as("nothing stored").isFalse();
                }
            }
        }
    }

    @Test
    void packageRegistryAnswersAPublishItsDiskCannotTake507AndStoresNothing() throws Exception {
        NewToken ci = Publishing.token("ci", "publish:acme_*");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), ci);
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"))) {
            int port = TestPorts.free();
            List<String> server = List.of("package-registry", "-feature-oci-indexer", "-oci-registry", registry.host(), "-oci-insecure",
                    "-oci-repository", TestPackages.REPOSITORY, "-require-package-signatures=false", "-auth-tokens-file", tokens.toString(),
                    "-address", "127.0.0.1:" + port, "-metrics-address", "127.0.0.1:0", "-log-type", "dev");
            try (WharfProcess wharf = WharfProcess.startWithFileSizeLimit(dir.resolve("work"), Map.of(), server, FILE_LIMIT_KB)) {
                URI base = URI.create("http://127.0.0.1:" + port);
                wharf.awaitReady(base.resolve("/health"), Duration.ofMinutes(1));
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> publish = Publishing.put(http, base.resolve("/api/v1/packages"), ci.token(), "application/zip",
                        HttpRequest.BodyPublishers.ofByteArray(noise(14)));
                assertThat(publish.statusCode()).as(publish.body()).isEqualTo(507);
                assertThat(publish.body()).contains("the server's disk refused a write").doesNotContain("wharf-package-");
                assertThat(awaitLines(wharf, "publish package - by ci", 1)).singleElement().asString().contains(": 507 failed");
                assertThat(awaitLines(wharf, "File too large", 1)).as("the reason is in the log").isNotEmpty();

                HttpResponse<String> multipart = Publishing.put(http, base.resolve("/api/v1/packages"), ci.token(), Publishing.MULTIPART_TYPE,
                        HttpRequest.BodyPublishers.ofByteArray(Publishing.multipart(Map.of("acme_logs-1.0.0.zip", noise(16)))));
                assertThat(multipart.statusCode()).as(multipart.body()).isEqualTo(507);
                // Jetty's parser wrote the parts here, not BodySpool: the answer is the same, with the id the log line has.
                String id = multipart.headers().firstValue(RequestIds.HEADER).orElse("no X-Request-Id");
                assertThat(multipart.body()).contains("the server's disk refused a write (request id " + id + ";").doesNotContain("wharf-package-");
                assertThat(awaitLines(wharf, "request " + id + ": package publish failed", 1)).singleElement().asString()
                        .contains("File too large");
                assertThat(awaitLines(wharf, "publish package - by ci", 2)).hasSize(2).allSatisfy(l -> assertThat(l).contains(": 507 failed"));
                assertThat(releaseOnOneConnection(port, "/api/v1/packages", ci.token(), Publishing.multipart(Map.of("acme_logs-1.0.0.zip",
                        noise(18))), "/search?package=acme_logs")).startsWith("HTTP/1.1 507 ").doesNotContainIgnoringCase("Connection: close")
                        .contains("HTTP/1.1 200 OK");
                try (ArtifactStore store = new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty()))) {
                    assertThat(store.listTags(TestPackages.REPOSITORY)).as("nothing stored").isEmpty();
                }
            }
        }
    }

    /**
     * A multipart PUT of {@code body} whose parts the disk refuses, then a GET of {@code next} on the same connection: both
     * answers' heads, as sent. The refusal comes at the first megabyte with the client still sending, so a server that
     * answered at once closed the connection on the unread rest ("Connection: close"), and the kernel's reset could
     * discard its 507 (the write of the rest here then fails, "Broken pipe"); one that reads the rest keeps the connection.
     */
    private static String releaseOnOneConnection(int port, String path, String token, byte[] body, String next) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\nContent-Type: "
                    + Publishing.MULTIPART_TYPE + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            String first = answer(in);
            out.write(("GET " + next + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return first + answer(in);
        }
    }

    /** One answer's head, its body read by its Content-Length. */
    private static String answer(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head + "<connection closed>";
            }
            head.append((char) b);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
        return head.toString();
    }

    /** A body of 4 MB that no spool under the 1 MB limit can hold. */
    private static byte[] noise(long seed) {
        byte[] body = new byte[4 << 20];
        new Random(seed).nextBytes(body);
        return body;
    }

    /** The output's lines holding {@code text}, once there are {@code count} of them (the log may trail the answer). */
    private static List<String> awaitLines(WharfProcess wharf, String text, int count) {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> lines;
        do {
            lines = wharf.output().lines().filter(l -> l.contains(text)).toList();
            if (lines.size() >= count) {
                return lines;
            }
            LockSupport.parkNanos(20_000_000);
        } while (System.nanoTime() < end);
        return lines;
    }

    private void uploadModuleOf4Mb(List<String> storage) throws Exception {
        Path module = TestModules.write(dir.resolve("module"), "big", "1.0.0", "a module too large to be kept");
        byte[] noise = new byte[(4 << 20) + 4096];
        new Random(11).nextBytes(noise);
        Files.write(module.resolve("noise.bin"), noise);
        List<String> args = new ArrayList<>(List.of("upload", "module"));
        args.addAll(storage);
        args.add(module.toString());
        StringWriter err = new StringWriter();
        int exit = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                .execute(args.toArray(String[]::new));
        assertThat(exit).as(err.toString()).isZero();
    }
}
