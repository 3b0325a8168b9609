package dev.wharf.cli.epr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.TestPackages;
import dev.wharf.http.access.NewToken;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.Publishing;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * package-registry's UI pages are kept as ready answers, as its API's are: a repeat is answered
 * from memory, yet never to a visitor the router would send to sign-in, never for another Host,
 * never for the health page (its times move), and never after the index it was built from changed.
 */
class ReadyPackageUiPagesTest {
    private static final List<String> PAGE_HEADERS = List.of("content-type", "content-security-policy", "x-content-type-options",
            "referrer-policy", "x-frame-options", "cache-control", "content-encoding");
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @TempDir
    Path dir;
    private NewToken reader;
    private NewToken publisher;
    private NewToken expired;
    private DockerRegistryServer registry;
    private WharfProcess server;
    private URI base;
    private URI metrics;

    @BeforeEach
    void start() throws Exception {
        reader = Publishing.token("reader", "read");
        publisher = Publishing.token("ci", "publish:acme_*");
        expired = Publishing.expiredToken("old", "read");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), reader, publisher, expired);
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        int port = TestPorts.free();
        int metricsPort = TestPorts.free();
        server = WharfProcess.start(dir.resolve("work"), Map.of(), List.of("package-registry", "-feature-oci-indexer",
                "-oci-registry", registry.host(), "-oci-repository", "epr/ui", "-oci-insecure", "-address", "127.0.0.1:" + port,
                "-metrics-address", "127.0.0.1:" + metricsPort, "-require-package-signatures=false", "-log-type", "dev",
                "-oci-refresh-interval", "0", "-auth-tokens-file", tokens.toString()));
        base = URI.create("http://127.0.0.1:" + port);
        metrics = URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
        server.awaitReady(base.resolve("/health"), Duration.ofMinutes(1));
        publish("1.0.0");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void repeatsComeFromMemoryWithTheRoutersBytesAndHeadersOnlyForSignedInVisitorsOfTheSameHost() throws Exception {
        for (String page : List.of("/ui/", "/ui/?q=acme", "/ui/packages/acme_logs/1.0.0", "/ui/static/ui.css")) {
            double before = fromMemory(page);
            HttpResponse<String> rendered = get(base.resolve(page), cookie(reader.token()));
            assertThat(fromMemory(page)).as(page + " first rendered by the router").isEqualTo(before);
            HttpResponse<String> repeated = get(base.resolve(page), cookie(reader.token()));
            assertThat(rendered.statusCode()).as(page).isEqualTo(200);
            assertThat(repeated.body()).as(page).isEqualTo(rendered.body());
            for (String header : PAGE_HEADERS) {
                assertThat(repeated.headers().allValues(header)).as(page + " " + header).isEqualTo(rendered.headers().allValues(header));
            }
            assertThat(fromMemory(page)).as(page + " answered from memory").isEqualTo(before + 1);

            // The page is ready, and still nobody gets it without a token of the tokens file.
            for (String refused : new String[] {null, "wrong-token", reader.token() + "x", expired.token(), ""}) {
                HttpResponse<String> anonymous = get(base.resolve(page), refused == null ? null : cookie(refused));
                assertThat(anonymous.statusCode()).as(page + " with cookie " + refused).isEqualTo(303);
                assertThat(anonymous.headers().firstValue("Location").orElseThrow()).startsWith("/ui/sign-in");
                assertThat(anonymous.body()).doesNotContain("acme");
            }
            assertThat(fromMemory(page)).as(page + " never from memory for those").isEqualTo(before + 1);

            // Another Host is the router's to answer (as it is on boring-registry, whose pages name it).
            URI local = URI.create("http://localhost:" + base.getPort() + page);
            assertThat(get(local, cookie(reader.token())).body()).isEqualTo(rendered.body());
            assertThat(fromMemory(page)).as(page + " for another host").isEqualTo(before + 1);
        }

        // The health page shows how long ago the index was refreshed: rendered every time.
        get(base.resolve("/ui/health"), cookie(reader.token()));
        assertThat(get(base.resolve("/ui/health"), cookie(reader.token())).body()).contains("<h1>Index health</h1>");
        assertThat(fromMemory("/ui/health")).isZero();
    }

    @Test
    void aNewlyPublishedVersionShowsAtOnceOnPagesThatWereReady() throws Exception {
        URI home = base.resolve("/ui/");
        URI pkg = base.resolve("/ui/packages/acme_logs/1.0.0");
        for (URI page : List.of(home, pkg)) {
            get(page, cookie(reader.token()));
            double before = fromMemory(page.getPath());
            assertThat(get(page, cookie(reader.token())).body()).contains("1.0.0").doesNotContain("1.1.0");
            assertThat(fromMemory(page.getPath())).isEqualTo(before + 1);
        }

        publish("1.1.0");
        for (URI page : List.of(home, pkg)) {
            assertThat(get(page, cookie(reader.token())).body()).as(page.toString()).contains("/ui/packages/acme_logs/1.1.0");
        }
    }

    private void publish(String version) throws Exception {
        Path zip = dir.resolve("acme_logs-" + version + ".zip");
        TestPackages.zipFolder(TestPackages.source().resolve("acme_logs/" + version), "acme_logs-" + version, zip);
        HttpResponse<String> created = Publishing.put(HTTP, base.resolve("/api/v1/packages?refresh=true"), publisher.token(), "application/zip",
                HttpRequest.BodyPublishers.ofFile(zip));
        assertThat(created.statusCode()).as(created.body() + server.output()).isEqualTo(201);
    }

    private static HttpResponse<String> get(URI uri, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String cookie(String token) {
        return "other=1; wharf_epr_ui_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    /** {@code wharf_ready_answers_total} of this page's route, from the metrics address. */
    private double fromMemory(String page) throws Exception {
        String path = page.contains("?") ? page.substring(0, page.indexOf('?')) : page;
        String route = path.startsWith("/ui/packages/") ? "/ui/packages/{name}/{version}" : path;
        String text = HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher found = Pattern.compile("wharf_ready_answers_total\\{route=\"" + Pattern.quote(route) + "\"} (\\S+)").matcher(text);
        return found.find() ? Double.parseDouble(found.group(1)) : 0;
    }
}
