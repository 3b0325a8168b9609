package dev.wharf.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.TestPackages;
import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.oci.registry.RetryPolicy;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.FaultProxy;
import dev.wharf.testing.FaultProxy.Fault;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * package-registry as operators run it, scraped as Prometheus scrapes it, while one package's zip is
 * broken in the registry (its bytes are not its digest's, through a {@link FaultProxy} in front of
 * docker-registry): the fill's failure is counted by kind and the blob shows as skipped, where before
 * only /health and one WARN line said so; and Fleet's requests for that zip get their 502 without the
 * zip being downloaded again.
 */
class PackageFillMetricsProcessTest {
    private static final Duration START = Duration.ofSeconds(120);
    private static final String BROKEN = "acme_logs-1.0.0";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aBlobBrokenInTheRegistryIsCountedAndShownAsSkipped() throws Exception {
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
             RegistryArtifactStore direct = new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty()),
                     CredentialSource.fixed(new Credentials.Anonymous(), "test"), RetryPolicy.none(), null);
             FaultProxy proxy = FaultProxy.before(registry.host())) {
            TestPackages.publishAll(direct, dir);
            String digest = direct.resolve(TestPackages.REPOSITORY, BROKEN).orElseThrow().layer("application/zip").orElseThrow().digest().toString();
            Predicate<FaultProxy.Request> brokenZip = r -> r.isBlobRead() && r.path().endsWith("/" + digest);
            proxy.inject(Fault.WRONG_BYTES, brokenZip);
            int port = TestPorts.free();
            int metrics = TestPorts.free();
            try (WharfProcess serve = WharfProcess.start(dir.resolve("epr"), Map.of(), List.of("package-registry", "-feature-oci-indexer",
                    "-oci-registry", "http://" + proxy.host(), "-oci-repository", TestPackages.REPOSITORY, "-address", "127.0.0.1:" + port,
                    "-metrics-address", "127.0.0.1:" + metrics, "-require-package-signatures=false", "-log-type", "dev",
                    "-oci-cache-dir", dir.resolve("cache").toString()))) {
                serve.awaitReady(URI.create("http://127.0.0.1:" + port + "/health"), START);
                Scrape scrape = scrapeWhen(URI.create("http://127.0.0.1:" + metrics + "/metrics"),
                        s -> !s.matching("wharf_package_fill_skipped_blobs", Map.of()).isEmpty()
                                && s.value("wharf_package_fill_skipped_blobs", Map.of()) == 1.0);

                // Once, or again if the scrape came after its next try, 10 s on.
                assertThat(scrape.value("wharf_package_fill_failures_total", Map.of("kind", "blob_corrupt"))).isGreaterThanOrEqualTo(1.0);
                assertThat(scrape.value("wharf_package_fill_failures_total", Map.of("kind", "blob_missing"))).isZero();
                assertThat(scrape.value("wharf_package_fill_failures_total", Map.of("kind", "registry"))).isZero();
                assertThat(scrape.labelNames("wharf_package_fill_failures_total")).containsExactly("kind");
                assertThat(get(URI.create("http://127.0.0.1:" + metrics + "/health")).body()).contains("cannot fetch the blobs of " + BROKEN);

                long downloads = proxy.requests().stream().filter(brokenZip).count();
                for (int i = 0; i < 3; i++) {
                    assertThat(get(URI.create("http://127.0.0.1:" + port + "/epr/acme_logs/" + BROKEN + ".zip")).statusCode()).isEqualTo(502);
                }
                // At most the one try that falls due meanwhile (10 s after the last), the fill's or a request's; each request had downloaded it.
                assertThat(proxy.requests().stream().filter(brokenZip).count()).as("Fleet's requests download nothing while it waits")
                        .isLessThanOrEqualTo(downloads + 1);
            }
        }
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Scrapes until {@code ready} holds: the fill runs behind the first index. */
    private Scrape scrapeWhen(URI metrics, Predicate<Scrape> ready) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        Scrape last = null;
        while (Instant.now().isBefore(deadline)) {
            last = Scrape.parse(get(metrics).body());
            if (ready.test(last)) {
                return last;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000);
        }
        throw new AssertionError("the scrape never got there:\n" + (last == null ? "" : last.text()));
    }
}
