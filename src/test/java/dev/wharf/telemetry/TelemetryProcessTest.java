package dev.wharf.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.wharf.epr.TestPackages;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.RequiredTool;
import dev.wharf.testing.TestCertificates;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Both programs as operators run them, on Debian's docker-registry, scraped as Prometheus scrapes
 * them: the metric families and labels of boring-registry and of EPR 1.40 are there under their
 * names, with Wharf's own and the JVM's beside them; every query of the Grafana dashboard in
 * {@code docs/grafana/} names a metric the scrapes contain, and so does every alerting rule in
 * {@code docs/prometheus/}, which promtool reads; the logs are JSON with their content
 * filled in, and the access log shows requests without their secrets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TelemetryProcessTest {
    private static final Duration START = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AGENT = "Terraform/1.11.4 (+https://www.terraform.io)";
    private static final String VERSIONS_ROUTE = "/v1/modules/{namespace}/{name}/{provider}/versions";

    /** boring-registry serves TLS, so that its scrape has the certificate's gauge; a trusting client reads both programs. */
    private static final TestCertificates.SelfSigned CERTIFICATE = TestCertificates.localhost();

    private final HttpClient http = HttpClient.newBuilder().sslContext(CERTIFICATE.trustingContext()).build();
    private Path dir;
    private DockerRegistryServer registry;
    private Scrape boring;
    private String boringLog;
    private String signature;
    private Scrape epr;
    private String eprLog;
    private String quietLog;
    private String warnLog;

    @BeforeAll
    void runBothPrograms() throws Exception {
        dir = Files.createTempDirectory("wharf-telemetry-");
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        runBoringRegistry();
        runPackageRegistry();
    }

    @AfterAll
    void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        TestPackages.deleteTree(dir);
    }

    private void runBoringRegistry() throws Exception {
        WharfProcess upload = WharfProcess.start(dir.resolve("upload"), Map.of(), List.of("boring-registry", "upload", "module",
                "--storage-oci-registry", registry.host(), "--storage-oci-insecure", Path.of("examples/modules").toAbsolutePath().toString()));
        assertThat(upload.waitFor(START)).as(upload.output()).isZero();
        int port = TestPorts.free();
        int telemetry = TestPorts.free();
        Path cert = CERTIFICATE.writePem(dir.resolve("tls"));
        try (WharfProcess server = WharfProcess.start(dir.resolve("boring"), Map.of("BORING_REGISTRY_AUTH_STATIC_TOKEN", "static-token-5d2e"),
                List.of("boring-registry", "server", "--json", "--listen-address", "127.0.0.1:" + port,
                        "--listen-telemetry-address", "127.0.0.1:" + telemetry, "--storage-oci-registry", registry.host(),
                        "--storage-oci-insecure", "--tls-cert-file", cert.toString(), "--tls-key-file", cert.resolveSibling("key.pem").toString()))) {
            URI base = URI.create("https://127.0.0.1:" + port);
            // The telemetry listener starts after the registry's: once it answers, both do.
            server.awaitHttp(URI.create("http://127.0.0.1:" + telemetry + "/health"), START);
            for (int i = 0; i < 3; i++) {
                assertThat(get(base.resolve("/v1/modules/example/hello/null/versions")).statusCode()).isEqualTo(200);
            }
            HttpResponse<String> download = get(base.resolve("/v1/modules/example/hello/null/1.0.0/download"));
            assertThat(download.statusCode()).as(download.body()).isEqualTo(204);
            String file = download.headers().firstValue("X-Terraform-Get").orElseThrow();
            signature = file.replaceAll(".*[?&]signature=([^&]+).*", "$1");
            assertThat(signature).isNotEqualTo(file).hasSizeGreaterThan(10);
            assertThat(http.send(HttpRequest.newBuilder(base.resolve(file)).header("User-Agent", AGENT).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            get(base.resolve("/v1/providers/hashicorp/null/versions"));
            get(base.resolve("/v1/mirror/registry.terraform.io/hashicorp/null/index.json"));
            get(base.resolve("/v1/providers/hashicorp/null/3.2.4/download/linux/amd64"));
            get(base.resolve("/v1/mirror/registry.terraform.io/hashicorp/null/3.2.4.json"));
            get(base.resolve("/no/such/route"));
            // A wrong token is logged at info (the token check answers before any route); a Host header
            // Jetty cannot read is answered 400 without a warning of Jetty's quoting it.
            assertThat(http.send(HttpRequest.newBuilder(base.resolve("/v1/modules/example/hello/null/versions"))
                    .header("Authorization", "Bearer wrong-token-7f1c").build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                    .isEqualTo(401);
            assertThat(rawStatusLine(port, "h\u00ffbad")).startsWith("HTTP/1.1 400");
            // Last, so that its access line means every earlier one is written; the 404 above is logged at debug only.
            get(base.resolve("/.well-known/terraform.json?sentinel=1"));
            boring = scrapeWhen(URI.create("http://127.0.0.1:" + telemetry + "/metrics"),
                    s -> !s.matching("http_request_total", Map.of("code", "404")).isEmpty()
                            && !s.matching("http_request_total", Map.of("code", "200")).isEmpty());
            boringLog = awaitOutput(server, "sentinel=1");
        }
    }

    private void runPackageRegistry() throws Exception {
        Path packages = dir.resolve("packages");
        TestPackages.copyTree(TestPackages.source(), packages);
        WharfProcess push = WharfProcess.start(dir.resolve("push"), Map.of(), List.of("package-registry", "push", "-oci-registry",
                registry.host(), "-oci-repository", "packages", "-oci-insecure", packages.resolve("acme_logs/1.1.0").toString(),
                packages.resolve("gallery/2.0.0").toString()));
        assertThat(push.waitFor(START)).as(push.output()).isZero();
        int port = TestPorts.free();
        int metrics = TestPorts.free();
        try (WharfProcess serve = WharfProcess.start(dir.resolve("epr"), Map.of(), List.of("package-registry", "-feature-oci-indexer",
                "-oci-registry", registry.host(), "-oci-repository", "packages", "-oci-insecure", "-oci-refresh-interval", "300ms",
                "-address", "127.0.0.1:" + port, "-metrics-address", "127.0.0.1:" + metrics, "-require-package-signatures=false"))) {
            URI base = URI.create("http://127.0.0.1:" + port);
            serve.awaitReady(base.resolve("/health"), START);
            assertThat(get(base.resolve("/health")).statusCode()).isEqualTo(200);
            get(base.resolve("/search?package=acme_logs&token=query-token-91c"));
            get(base.resolve("/search?package=acme_logs&token=query-token-91c"));
            get(base.resolve("/categories"));
            assertThat(get(base.resolve("/epr/acme_logs/acme_logs-1.1.0.zip")).statusCode()).isEqualTo(200);
            assertThat(get(base.resolve("/epr/acme_logs/acme_logs-1.1.0.zip.sig")).statusCode()).isEqualTo(200);
            assertThat(get(base.resolve("/package/acme_logs/1.1.0/")).statusCode()).isEqualTo(200);
            assertThat(get(base.resolve("/package/acme_logs/1.1.0/docs/README.md")).statusCode()).isEqualTo(200);
            epr = scrapeWhen(URI.create("http://127.0.0.1:" + metrics + "/metrics"),
                    s -> s.names().contains("epr_storage_indexer_update_index_success_total")
                            && s.value("epr_storage_indexer_update_index_success_total", Map.of()) >= 1
                            && !s.matching("epr_http_requests_total", Map.of("path", "/package/{packageName}/{packageVersion}/{name:.*}")).isEmpty());
            eprLog = awaitOutput(serve, "/package/acme_logs/1.1.0/docs/README.md");
        }
        // The same with the access log turned off by its variable, and metrics and TLS by empty values, which EPR reads as none.
        Path config = Files.writeString(dir.resolve("config.yml"), "package_paths:\n  - " + packages + "\n");
        int quietPort = TestPorts.free();
        try (WharfProcess quiet = WharfProcess.start(dir.resolve("quiet"), Map.of("EPR_ACCESS_LOG", "false", "EPR_METRICS_ADDRESS", "",
                "EPR_TLS_CERT", "", "EPR_TLS_KEY", ""),
                List.of("package-registry",
                "-config", config.toString(), "-address", "127.0.0.1:" + quietPort, "-require-package-signatures=false"))) {
            URI base = URI.create("http://127.0.0.1:" + quietPort);
            quiet.awaitReady(base.resolve("/health"), START);
            assertThat(get(base.resolve("/search?package=quiet_probe")).statusCode()).isEqualTo(200);
            quietLog = quiet.output();
        }
        // Access lines are info, as EPR's: -log-level warn has none.
        int warnPort = TestPorts.free();
        try (WharfProcess warn = WharfProcess.start(dir.resolve("warn"), Map.of(), List.of("package-registry", "-config", config.toString(),
                "-address", "127.0.0.1:" + warnPort, "-require-package-signatures=false", "-log-level", "warn"))) {
            URI base = URI.create("http://127.0.0.1:" + warnPort);
            warn.awaitReady(base.resolve("/health"), START);
            assertThat(get(base.resolve("/search?package=warn_probe")).statusCode()).isEqualTo(200);
            // A stop writes whatever the access log has queued before the process exits.
            warn.terminate();
            // Ended by the signal: the status is the JVM's for SIGTERM, the point is that the process has exited.
            warn.waitFor(START);
            warnLog = warn.output();
        }
    }

    @Test
    void boringRegistryExportsItsOwnFamiliesAndLabels() {
        assertThat(boring.labelNames("http_request_total")).containsExactly("code", "method");
        assertThat(boring.labelNames("http_request_duration_seconds_bucket")).containsExactly("code", "le", "method");
        assertThat(boring.names()).contains("http_request_duration_seconds_sum", "http_request_duration_seconds_count",
                "http_request_size_bytes_sum", "http_request_size_bytes_count", "http_response_size_bytes_sum", "http_response_size_bytes_count");
        assertThat(boring.matching("http_request_duration_seconds_bucket", Map.of("le", "0.05"))).isNotEmpty();
        assertThat(boring.value("boring_registry_modules_list_versions_total", Map.of("namespace", "example", "name", "hello", "provider", "null")))
                .as("the ready answers are counted too").isEqualTo(3.0);
        assertThat(boring.labelNames("boring_registry_modules_list_versions_total")).containsExactly("name", "namespace", "provider");
        assertThat(boring.value("boring_registry_modules_download_version_total",
                Map.of("namespace", "example", "name", "hello", "provider", "null", "version", "1.0.0"))).isEqualTo(1.0);
        assertThat(boring.labelNames("boring_registry_providers_list_versions_total")).containsExactly("name", "namespace");
        assertThat(boring.labelNames("boring_registry_providers_download_version_total")).containsExactly("arch", "name", "namespace", "os", "version");
        assertThat(boring.labelNames("boring_registry_mirrors_list_provider_versions_total")).containsExactly("hostname", "name", "namespace");
        assertThat(boring.value("boring_registry_mirrors_list_provider_installations_total",
                Map.of("hostname", "registry.terraform.io", "namespace", "hashicorp", "name", "null", "version", "3.2.4"))).isEqualTo(1.0);
    }

    @Test
    void boringRegistryExportsWharfsStorageCacheAndReadyAnswerMetrics() {
        assertThat(boring.labelNames("wharf_registry_requests_seconds_count")).containsExactly("operation", "status");
        assertThat(boring.matching("wharf_registry_requests_seconds_count", Map.of("operation", "list_tags", "status", "200"))).isNotEmpty();
        assertThat(boring.matching("wharf_registry_requests_seconds_count", Map.of("operation", "get_manifest", "status", "200"))).isNotEmpty();
        assertThat(boring.value("wharf_ready_answers_total", Map.of("route", VERSIONS_ROUTE))).isEqualTo(2.0);
        Set<String> caches = new TreeSet<>();
        boring.named("cache_size").forEach(s -> caches.add(s.labels().get("cache")));
        assertThat(caches).contains("tag_lists", "tag_manifests", "manifests_by_digest", "module_listings", "provider_listings");
        assertThat(boring.value("cache_gets_total", Map.of("cache", "tag_lists", "result", "miss"))).isPositive();
    }

    @Test
    void bothExportJvmAndProcessMetrics() {
        for (Scrape scrape : List.of(boring, epr)) {
            assertThat(scrape.names()).contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                    "jvm_gc_memory_allocated_bytes_total", "process_cpu_usage", "process_uptime_seconds", "process_start_time_seconds",
                    "process_files_open_files", "system_cpu_count", "wharf_access_log_dropped_lines_total");
        }
    }

    @Test
    void packageRegistryExportsEprsFamiliesWithRoutePatternsAsPath() {
        assertThat(epr.value("epr_service_info", Map.of("version", "1.40.1"))).isEqualTo(1.0);
        assertThat(epr.labelNames("epr_service_info")).containsExactly("instance", "version");
        assertThat(epr.names()).contains("epr_in_flight_requests", "epr_number_indexed_packages");
        assertThat(epr.value("epr_number_indexed_packages", Map.of())).isEqualTo(2.0);
        for (String family : List.of("epr_http_requests_total", "epr_http_request_duration_seconds_count",
                "epr_http_request_size_bytes_count", "epr_http_response_size_bytes_count")) {
            assertThat(epr.labelNames(family)).as(family).containsExactly("code", "method", "path");
        }
        assertThat(epr.value("epr_http_requests_total", Map.of("code", "200", "method", "GET", "path", "/search"))).isEqualTo(2.0);
        Set<String> paths = new TreeSet<>();
        epr.named("epr_http_requests_total").forEach(s -> paths.add(s.labels().get("path")));
        assertThat(paths).contains("/search", "/categories", "/health",
                "/epr/{packageName}/{packageName:[a-z0-9_]+}-{packageVersion}.zip",
                "/epr/{packageName}/{packageName:[a-z0-9_]+}-{packageVersion}.zip.sig",
                "/package/{packageName:[a-z0-9_]+}/{packageVersion}/",
                "/package/{packageName}/{packageVersion}/{name:.*}");
        assertThat(paths).as("never the raw path").noneMatch(p -> p.contains("acme_logs"));
        assertThat(epr.matching("epr_http_response_size_bytes_bucket", Map.of("le", "1024.0"))).isNotEmpty();
        assertThat(epr.matching("epr_http_request_duration_seconds_bucket", Map.of("le", "0.005"))).isNotEmpty();
    }

    @Test
    void packageRegistryExportsIndexerAndStorageMetrics() {
        assertThat(epr.value("epr_storage_requests_total", Map.of("location", "oci", "component", "artifacts"))).isEqualTo(1.0);
        assertThat(epr.value("epr_storage_requests_total", Map.of("location", "oci", "component", "signatures"))).isEqualTo(1.0);
        assertThat(epr.value("epr_storage_requests_total", Map.of("location", "oci", "component", "statics"))).isEqualTo(1.0);
        assertThat(epr.names()).contains("epr_storage_indexer_update_index_error_total",
                "epr_storage_indexer_update_index_duration_seconds_bucket", "epr_storage_indexer_update_index_duration_seconds_count");
        assertThat(epr.matching("wharf_registry_requests_seconds_count", Map.of("operation", "list_tags", "status", "200"))).isNotEmpty();
        assertThat(epr.value("epr_indexer_get_duration_seconds_count", Map.of("indexer", "OciIndexer"))).isGreaterThanOrEqualTo(4.0);
        // Every kind is there at 0 before any failure (PackageFillMetricsProcessTest counts a real one).
        for (String kind : List.of("registry", "blob_corrupt", "blob_missing", "zip_disagrees_with_config", "blob_too_large")) {
            assertThat(epr.value("wharf_package_fill_failures_total", Map.of("kind", kind))).as(kind).isZero();
        }
        assertThat(epr.value("wharf_package_fill_skipped_blobs", Map.of())).isZero();
    }

    @Test
    void everyQueryOfTheDashboardNamesAMetricTheScrapesContain() throws Exception {
        JsonNode dashboard = JSON.readTree(Path.of("docs/grafana/wharf.json").toFile());
        Set<String> scraped = new TreeSet<>(boring.names());
        scraped.addAll(epr.names());
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.get("expr").asText());
            }
        }
        assertThat(queries).hasSizeGreaterThan(20);
        Set<String> named = new TreeSet<>();
        for (String query : queries) {
            Set<String> names = PromQl.metricNames(query);
            assertThat(names).as("a query without a metric: " + query).isNotEmpty();
            named.addAll(names);
        }
        for (JsonNode variable : dashboard.get("templating").get("list")) {
            String query = variable.path("query").asText();
            if (query.startsWith("label_values(")) {
                named.addAll(PromQl.metricNames(query.substring("label_values(".length(), query.lastIndexOf(','))));
            }
        }
        assertThat(scraped).as("metrics the dashboard queries").containsAll(named);
    }

    @Test
    void everyAlertIsWellFormedAndNamesMetricsTheScrapesContain() throws Exception {
        JsonNode file = new ObjectMapper(new YAMLFactory())
                .readTree(Path.of("docs/prometheus/wharf-alerts.yaml").toFile());
        Set<String> scraped = new TreeSet<>(boring.names());
        scraped.addAll(epr.names());
        Set<String> alerts = new TreeSet<>();
        for (JsonNode group : file.get("groups")) {
            assertThat(group.path("name").asText()).isNotBlank();
            for (JsonNode rule : group.get("rules")) {
                String alert = rule.path("alert").asText();
                assertThat(alert).matches("Wharf[A-Za-z]+");
                assertThat(alerts.add(alert)).as("one rule per name: " + alert).isTrue();
                assertThat(rule.path("labels").path("severity").asText()).as(alert).isIn("info", "warning", "critical");
                assertThat(rule.path("annotations").path("summary").asText()).as(alert).isNotBlank();
                if (rule.has("for")) {
                    assertThat(rule.get("for").asText()).as(alert).matches("\\d+[smh]");
                }
                Set<String> names = PromQl.metricNames(rule.path("expr").asText());
                assertThat(names).as(alert + " names a metric").isNotEmpty();
                assertThat(scraped).as(alert + "'s metrics").containsAll(names);
            }
        }
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(7).contains("WharfTlsCertificateExpiresSoon");
        // Prometheus's own reading of the file: PromQL syntax, durations and templates.
        Process promtool = new ProcessBuilder(RequiredTool.require("promtool", "prometheus").toString(), "check", "rules",
                "docs/prometheus/wharf-alerts.yaml").redirectErrorStream(true).start();
        String checked = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor()).as(checked).isZero();
        assertThat(checked).contains("SUCCESS: " + alerts.size() + " rules found");
        assertThat(boring.names()).contains("wharf_tls_certificate_expiration_timestamp_seconds");
    }

    @Test
    void boringRegistryJsonLogsHaveTheirArgumentsFilledInAndTheAccessLogHidesSignatures() throws Exception {
        List<JsonNode> lines = jsonLines(boringLog);
        assertThat(lines).isNotEmpty();
        for (JsonNode line : lines) {
            assertThat(line.get("msg").asText()).as(line.toString()).doesNotContain("{}");
        }
        assertThat(lines).anySatisfy(l -> assertThat(l.get("msg").asText()).startsWith("boring-registry listening on 127.0.0.1:"));
        JsonNode versions = lines.stream().filter(l -> "http.access".equals(l.path("logger").asText())
                && l.path("url.path").asText().equals("/v1/modules/example/hello/null/versions")).findFirst().orElseThrow();
        assertThat(versions.get("http.route").asText()).isEqualTo(VERSIONS_ROUTE);
        assertThat(versions.get("http.response.code").asInt()).isEqualTo(200);
        assertThat(versions.get("http.response.body.bytes").asLong()).isPositive();
        assertThat(versions.get("event.duration").asLong()).isPositive();
        assertThat(versions.get("source.address").asText()).isEqualTo("127.0.0.1");
        assertThat(versions.get("user_agent.original").asText()).isEqualTo(AGENT);
        assertThat(boringLog).doesNotContain("/no/such/route").contains("signature=REDACTED").doesNotContain(signature).doesNotContain("static-token-5d2e");
        assertThat(boringLog).doesNotContain("wrong-token-7f1c").doesNotContain("Bad Authority");
        // Every request runBoringRegistry sent to the registry address but the unmatched one, the refused token included.
        assertThat(lines.stream().filter(l -> "http.access".equals(l.path("logger").asText())).count()).isEqualTo(11);
        assertThat(lines).anySatisfy(l -> assertThat(l.path("http.response.code").asInt()).isEqualTo(401));
    }

    @Test
    void packageRegistryLogsEcsJsonWithAnAccessLogThatCanBeTurnedOff() throws Exception {
        List<JsonNode> lines = jsonLines(eprLog);
        assertThat(lines).isNotEmpty();
        for (JsonNode line : lines) {
            for (String field : List.of("@timestamp", "log.level", "message", "ecs.version", "service.name")) {
                assertThat(line.has(field)).as(field + " in " + line).isTrue();
            }
            assertThat(line.get("service.name").asText()).isEqualTo("package-registry");
            assertThat(line.get("message").asText()).doesNotContain("{}");
        }
        JsonNode zip = lines.stream().filter(l -> l.path("url.path").asText().equals("/epr/acme_logs/acme_logs-1.1.0.zip")).findFirst().orElseThrow();
        assertThat(zip.get("http.request.method").asText()).isEqualTo("GET");
        assertThat(zip.get("http.response.code").asInt()).isEqualTo(200);
        assertThat(zip.get("http.route").asText()).isEqualTo("/epr/<rest>");
        assertThat(zip.get("http.response.body.bytes").asLong()).isPositive();
        assertThat(eprLog).contains("token=REDACTED").doesNotContain("query-token-91c");
        // As EPR: the liveness check "/health" is not logged, the readiness check "/health?ready=true" is.
        assertThat(lines.stream().filter(l -> l.path("url.path").asText().equals("/health")).map(l -> l.path("url.query").asText()))
                .isNotEmpty().containsOnly("ready=true");
        assertThat(quietLog).as("no access log with EPR_ACCESS_LOG=false").doesNotContain("quiet_probe").contains("Package registry started");
        assertThat(quietLog).as("no metrics listener with EPR_METRICS_ADDRESS empty").doesNotContain("Metrics and detailed health on");
        assertThat(warnLog).as("no access line, nor any other info line, at -log-level warn").doesNotContain("warn_probe")
                .doesNotContain("Package registry started").doesNotContain("\"INFO\"");
    }

    private static List<JsonNode> jsonLines(String output) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.lines().toList()) {
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            } else {
                assertThat(line).as("every log line is JSON:\n" + output).isBlank();
            }
        }
        return lines;
    }

    /** The status line of a GET sent over TLS with {@code host} as its Host header, as written (the HTTP client refuses to). */
    private static String rawStatusLine(int port, String host) throws Exception {
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) CERTIFICATE.trustingContext().getSocketFactory()
                .createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /v1/modules/example/hello/null/versions HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return answer.lines().findFirst().orElse("");
        }
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("User-Agent", AGENT).header("Authorization", "Bearer static-token-5d2e").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Scrapes until {@code ready} holds: metrics of a request are recorded just after its answer went out. */
    private Scrape scrapeWhen(URI metrics, java.util.function.Predicate<Scrape> ready) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        Scrape last = null;
        while (Instant.now().isBefore(deadline)) {
            last = Scrape.parse(http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body());
            if (ready.test(last)) {
                return last;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000);
        }
        throw new AssertionError("the scrape never got there:\n" + (last == null ? "" : last.text()));
    }

    /** The access log is written by a background thread: waits for the line of the last request. */
    private static String awaitOutput(WharfProcess process, String text) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            String output = process.output();
            if (output.contains(text)) {
                return output;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000);
        }
        throw new AssertionError("no '" + text + "' in the output:\n" + process.output());
    }
}
