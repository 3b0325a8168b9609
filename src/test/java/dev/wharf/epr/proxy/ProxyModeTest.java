package dev.wharf.epr.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.epr.TestPackages;
import dev.wharf.epr.api.ApiSettings;
import dev.wharf.epr.api.EprApi;
import dev.wharf.epr.fs.FileSystemIndexer;
import dev.wharf.epr.index.IndexerTiming;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.upstream.SignedUpstream;
import dev.wharf.epr.upstream.UpstreamEpr;
import dev.wharf.epr.upstream.UpstreamSettings;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.WebServer;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.testing.PgpKeys;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -feature-proxy-mode} over HTTP: a registry holding sensor_input and its own copy of
 * acme_logs 1.1.0 (retitled), in front of a signed upstream holding acme_logs, gallery and
 * legacy_stack; every answer is checked against EPR 1.40's rules (docs/epr-proxy.md).
 */
class ProxyModeTest {
    private static final String LOCAL_TITLE = "Acme Logs (this registry's copy)";
    private static final PgpKeys KEY = PgpKeys.generate("Upstream <upstream@example.test>");

    @TempDir
    Path dir;
    private SignedUpstream upstream;
    private FileSystemIndexer indexer;
    private WebServer proxied;
    private WebServer plain;
    private final HttpClient http = HttpClient.newHttpClient();
    private final HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    @BeforeEach
    void start() throws Exception {
        upstream = SignedUpstream.start(dir, KEY,
                List.of("acme_logs/1.0.0", "acme_logs/1.1.0", "acme_logs/1.2.0-beta1", "gallery/2.0.0", "legacy_stack/1.0.0"));
        Path local = dir.resolve("local");
        TestPackages.copyTree(TestPackages.source().resolve("sensor_input"), local.resolve("sensor_input"));
        Path acme = local.resolve("acme_logs/1.1.0");
        TestPackages.copyTree(TestPackages.source().resolve("acme_logs/1.1.0"), acme);
        Path manifest = acme.resolve("manifest.yml");
        Files.writeString(manifest, Files.readString(manifest).replaceFirst("(?m)^title: .*$", "title: \"" + LOCAL_TITLE + "\""));
        indexer = new FileSystemIndexer(List.of(local), true, false, ArchiveLimits.DEFAULT, Clock.systemUTC());
        indexer.start();
        ProxyMode mode = new ProxyMode(new UpstreamEpr(UpstreamSettings.epr(upstream.url())
                .withRetries(1, Duration.ofMillis(10), Duration.ofMillis(20))), Optional.empty());
        proxied = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), new EprApi(indexer, ApiSettings.defaults(),
                Clock.systemUTC(), new ReadyAnswers(1L << 20), IndexerTiming.NONE, dev.wharf.http.Readiness.readyNow(), mode)::register);
        plain = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), new EprApi(indexer, ApiSettings.defaults(),
                Clock.systemUTC())::register);
    }

    @AfterEach
    void stop() {
        proxied.close();
        plain.close();
        upstream.close();
        indexer.close();
    }

    private HttpResponse<byte[]> get(WebServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A request with a query Java's URI would refuse, as curl or Go would send it; the whole answer. */
    private static String rawGet(WebServer server, String pathAndQuery) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static List<String> entries(byte[] json) throws Exception {
        List<String> result = new ArrayList<>();
        for (JsonNode e : Json.mapper().readTree(json)) {
            result.add(e.path("name").asText() + "-" + e.path("version").asText() + ":" + e.path("title").asText());
        }
        return result;
    }

    @Test
    void searchJoinsBothWithThisRegistrysCopyWinningAndTheNewestVersionShown() throws Exception {
        HttpResponse<byte[]> r = get(proxied, "/search");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(entries(r.body())).containsExactly("acme_logs-1.1.0:" + LOCAL_TITLE, "gallery-2.0.0:Gallery",
                "legacy_stack-1.0.0:Legacy stack", "sensor_input-0.3.0:Sensor input");
        // The upstream's own entries pass through unchanged.
        JsonNode upstreamSearch = Json.mapper().readTree(upstream.get("/search").body());
        JsonNode merged = Json.mapper().readTree(r.body());
        assertThat(merged.get(1)).isEqualTo(upstreamSearch.get(1));
        assertThat(merged.get(2)).isEqualTo(upstreamSearch.get(2));
    }

    @Test
    void searchWithAllShowsEveryVersionOfBoth() throws Exception {
        assertThat(entries(get(proxied, "/search?all=true&prerelease=true").body())).containsExactly(
                "acme_logs-1.0.0:Acme Logs", "acme_logs-1.1.0:" + LOCAL_TITLE, "acme_logs-1.2.0-beta1:Acme Logs",
                "gallery-2.0.0:Gallery", "legacy_stack-1.0.0:Legacy stack", "sensor_input-0.3.0:Sensor input");
    }

    @Test
    void theUpstreamSeesTheSameQuery() throws Exception {
        assertThat(entries(get(proxied, "/search?kibana.version=7.17.3").body())).containsExactly(
                "gallery-2.0.0:Gallery", "legacy_stack-1.0.0:Legacy stack");
        // Bytes Java's URI refuses in a query go on escaped, which the upstream reads as the same parameters.
        String odd = rawGet(proxied, "/search?package=legacy%5Fstack&q=a|b");
        assertThat(odd).startsWith("HTTP/1.1 200 ");
        assertThat(entries(odd.substring(odd.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.UTF_8)))
                .containsExactly("legacy_stack-1.0.0:Legacy stack");
        assertThat(rawGet(proxied, "/categories?q={x}")).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void categoriesAddUpTheCountsOfBoth() throws Exception {
        String query = "/categories?prerelease=true&include_policy_templates=true";
        JsonNode local = Json.mapper().readTree(get(plain, query).body());
        JsonNode remote = Json.mapper().readTree(upstream.get(query).body());
        java.util.Map<String, Integer> expected = new java.util.TreeMap<>();
        for (JsonNode c : local) {
            expected.merge(c.path("id").asText(), c.path("count").asInt(), Integer::sum);
        }
        for (JsonNode c : remote) {
            expected.merge(c.path("id").asText(), c.path("count").asInt(), Integer::sum);
        }
        java.util.Map<String, Integer> got = new java.util.LinkedHashMap<>();
        for (JsonNode c : Json.mapper().readTree(get(proxied, query).body())) {
            got.put(c.path("id").asText(), c.path("count").asInt());
        }
        assertThat(got).containsExactlyEntriesOf(expected);
        assertThat(local.size()).isPositive();
    }

    @Test
    void aPackageOnlyTheUpstreamHasIsDescribedAsTheUpstreamDescribesIt() throws Exception {
        HttpResponse<byte[]> r = get(proxied, "/package/legacy_stack/1.0.0/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(r)).isEqualTo(new String(upstream.get("/package/legacy_stack/1.0.0/").body(), StandardCharsets.UTF_8));
        assertThat(text(get(proxied, "/package/acme_logs/1.1.0/"))).contains(LOCAL_TITLE);
    }

    @Test
    void itsFilesAreRedirectsToTheUpstreamAsEprSendsThem() throws Exception {
        HttpResponse<byte[]> zip = get(proxied, "/epr/legacy_stack/legacy_stack-1.0.0.zip");
        assertThat(zip.statusCode()).isEqualTo(301);
        assertThat(zip.headers().firstValue("Location")).hasValue(upstream.url() + "epr/package/legacy_stack-1.0.0.zip");
        assertThat(zip.headers().allValues("Cache-Control")).contains("public");
        // Go's http.Redirect: an HTML body naming the target, typed with its exact header.
        assertThat(zip.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(new String(zip.body(), StandardCharsets.UTF_8))
                .isEqualTo("<a href=\"" + upstream.url() + "epr/package/legacy_stack-1.0.0.zip\">Moved Permanently</a>.\n\n");
        assertThat(get(proxied, "/epr/legacy_stack/legacy_stack-1.0.0.zip.sig").headers().firstValue("Location"))
                .hasValue(upstream.url() + "epr/package/legacy_stack-1.0.0.zip.sig");
        assertThat(get(proxied, "/package/legacy_stack/1.0.0/manifest.yml").headers().firstValue("Location"))
                .hasValue(upstream.url() + "package/legacy_stack/1.0.0/manifest.yml");
        // The file's name as decoded text, escaped again: '#' is not the start of a fragment, nor a space an error.
        assertThat(get(proxied, "/package/legacy_stack/1.0.0/docs/a%23b%20c.md").headers().firstValue("Location"))
                .hasValue(upstream.url() + "package/legacy_stack/1.0.0/docs/a%23b%20c.md");
        HttpResponse<byte[]> followed = following.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + proxied.port() + "/epr/legacy_stack/legacy_stack-1.0.0.zip")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(followed.statusCode()).isEqualTo(200);
        assertThat(followed.body()).isEqualTo(Files.readAllBytes(upstream.zip("legacy_stack-1.0.0")));
    }

    @Test
    void thisRegistrysPackagesAreServedHereAndUnknownOnesAreNotFound() throws Exception {
        assertThat(get(proxied, "/epr/sensor_input/sensor_input-0.3.0.zip").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> missing = get(proxied, "/epr/nothing/nothing-1.0.0.zip");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(text(missing)).isEqualTo("artifact not found\n");
        assertThat(text(get(proxied, "/epr/nothing/nothing-1.0.0.zip.sig"))).isEqualTo("signature file not found\n");
        assertThat(text(get(proxied, "/package/nothing/1.0.0/"))).isEqualTo("package revision not found\n");
        assertThat(text(get(proxied, "/package/nothing/1.0.0/manifest.yml"))).isEqualTo("package revision not found\n");
    }

    @Test
    void withTheUpstreamDownTheMergedAnswersFailAsEprsDoAndThisRegistrysFilesStillServe() throws Exception {
        upstream.stop();
        HttpResponse<byte[]> search = get(proxied, "/search");
        assertThat(search.statusCode()).isEqualTo(500);
        assertThat(text(search)).isEqualTo("internal server error\n");
        assertThat(get(proxied, "/categories").statusCode()).isEqualTo(500);
        assertThat(get(proxied, "/package/legacy_stack/1.0.0/").statusCode()).isEqualTo(500);
        assertThat(get(proxied, "/epr/sensor_input/sensor_input-0.3.0.zip").statusCode()).isEqualTo(200);
        assertThat(get(proxied, "/package/acme_logs/1.1.0/").statusCode()).isEqualTo(200);
    }
}
