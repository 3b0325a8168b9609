package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.epr.TestPackages;
import dev.wharf.testing.TestCertificates;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both programs serving TLS say on {@code /metrics} when their certificate ends, for an alert ahead
 * of the log's one-week warning; a server of plain HTTP says nothing of it. That the figure follows a
 * renewal is {@code CertificateReloadTest}'s.
 */
class TlsCertificateMetricsTest {
    private static final String GAUGE = "wharf_tls_certificate_expiration_timestamp_seconds";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void boringRegistryShowsWhenItsCertificateEnds() throws Exception {
        Instant end = Instant.now().plus(Duration.ofDays(20)).truncatedTo(ChronoUnit.SECONDS);
        Path cert = TestCertificates.localhostUntil(end).writePem(dir.resolve("tls"));
        try (ServerCommand.Running tls = InProcessRegistry.start(dir.resolve("data"), "--tls-cert-file", cert.toString(),
                "--tls-key-file", cert.resolveSibling("key.pem").toString());
             ServerCommand.Running plain = InProcessRegistry.start(dir.resolve("data"))) {
            assertThat(gauge(scrape(tls.telemetry().port()))).hasValue(end.getEpochSecond());
            String plainScrape = scrape(plain.telemetry().port());
            assertThat(plainScrape).contains("jvm_memory_used_bytes");
            assertThat(gauge(plainScrape)).isEmpty();
        }
    }

    @Test
    void packageRegistryShowsWhenItsCertificateEnds() throws Exception {
        Instant end = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
        TestCertificates.SelfSigned certificate = TestCertificates.localhostUntil(end);
        Path cert = certificate.writePem(dir.resolve("tls"));
        Path packages = dir.resolve("packages");
        TestPackages.copyTree(TestPackages.source(), packages);
        Path config = Files.writeString(dir.resolve("config.yml"), "package_paths:\n  - " + packages + "\n");
        int port = TestPorts.free();
        int metrics = TestPorts.free();
        try (WharfProcess server = WharfProcess.start(dir.resolve("epr"), Map.of(), List.of("package-registry", "-config", config.toString(),
                "-address", "127.0.0.1:" + port, "-metrics-address", "127.0.0.1:" + metrics, "-require-package-signatures=false",
                "-tls-cert", cert.toString(), "-tls-key", cert.resolveSibling("key.pem").toString()))) {
            HttpClient trusting = HttpClient.newBuilder().sslContext(certificate.trustingContext()).build();
            server.awaitReady(URI.create("http://127.0.0.1:" + metrics + "/health"), Duration.ofMinutes(1));
            assertThat(trusting.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/search")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(gauge(scrape(metrics))).as(server.output()).hasValue(end.getEpochSecond());
        }
    }

    private String scrape(int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static OptionalDouble gauge(String scrape) {
        return scrape.lines().filter(line -> line.startsWith(GAUGE + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(GAUGE.length() + 1).strip())).findFirst();
    }
}
