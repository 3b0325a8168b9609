package dev.wharf.epr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.api.ApiSettings;
import dev.wharf.epr.api.EprApi;
import dev.wharf.epr.index.Indexer;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.WebServer;
import dev.wharf.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.http.HttpDateTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The EPR API over one indexer, compared response by response with the expected files under
 * src/test/resources/epr/expected: every indexer must give exactly these answers. Set
 * {@code -Dwharf.epr.writeExpected=true} to write missing expected files (then read them!).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EprApiContract {
    private static final Path EXPECTED = Path.of("src/test/resources/epr/expected");

    protected Path work;
    private Indexer indexer;
    private WebServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> readyServed = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Builds (and starts) the indexer under test over Wharf's test packages. */
    protected abstract Indexer startIndexer(Path work) throws Exception;

    @BeforeAll
    void startServer() throws Exception {
        work = Files.createTempDirectory("epr-api-");
        indexer = startIndexer(work);
        ApiSettings settings = new ApiSettings(Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofMinutes(5),
                Duration.ofMinutes(1), false);
        ReadyAnswers ready = new ReadyAnswers(1L << 20);
        EprApi api = new EprApi(indexer, settings, Clock.systemUTC(), ready);
        server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), Optional.of(ready),
                (route, method, status, micros) -> readyServed.add(route), api::register);
    }

    @AfterAll
    void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
        if (indexer != null) {
            indexer.close();
        }
        TestPackages.deleteTree(work);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("index", "/", 200),
                Arguments.of("index", "/index.json", 200),
                Arguments.of("search", "/search", 200),
                Arguments.of("search-all", "/search?all=true", 200),
                Arguments.of("search-prerelease", "/search?prerelease=true", 200),
                Arguments.of("search-prerelease-all", "/search?prerelease=true&all=1", 200),
                Arguments.of("search-kibana-7", "/search?kibana.version=7.17.3", 200),
                Arguments.of("search-kibana-8", "/search?kibana.version=8.12", 200),
                Arguments.of("search-kibana-none", "/search?kibana.version=8.9.0&package=acme_logs", 200),
                Arguments.of("search-agent", "/search?agent.version=8.11.0", 200),
                Arguments.of("search-type-input", "/search?type=input", 200),
                Arguments.of("search-category-observability", "/search?category=observability", 200),
                Arguments.of("search-category-subcategory", "/search?category=security&all=true", 200),
                Arguments.of("search-package-all", "/search?package=acme_logs&all=true", 200),
                Arguments.of("search-capabilities", "/search?capabilities=security,uptime", 200),
                Arguments.of("search-spec", "/search?spec.min=2.10&spec.max=3.0", 200),
                Arguments.of("search-discovery", "/search?discovery=fields:host.name,process.pid", 200),
                Arguments.of("search-discovery-none", "/search?discovery=datasets:other.metrics", 200),
                Arguments.of("search-experimental", "/search?experimental=true&package=acme_logs", 200),
                Arguments.of("categories", "/categories", 200),
                Arguments.of("categories-policy-templates", "/categories?prerelease=true&include_policy_templates=true", 200),
                Arguments.of("categories-kibana-7", "/categories?kibana.version=7.17.0", 200),
                Arguments.of("package-acme_logs-1.1.0", "/package/acme_logs/1.1.0/", 200),
                Arguments.of("package-acme_logs-1.2.0-beta1", "/package/acme_logs/1.2.0-beta1/", 200),
                Arguments.of("package-gallery-2.0.0", "/package/gallery/2.0.0/", 200),
                Arguments.of("package-sensor_input-0.3.0", "/package/sensor_input/0.3.0/", 200),
                Arguments.of("package-legacy_stack-1.0.0", "/package/legacy_stack/1.0.0/", 200),
                Arguments.of("error-prerelease", "/search?prerelease=foo", 400),
                Arguments.of("error-kibana", "/search?kibana.version=eight", 400),
                Arguments.of("error-spec-max", "/search?spec.max=2.10.1", 400),
                Arguments.of("error-unknown-parameter", "/search?unknown=1", 400),
                Arguments.of("error-categories-policy-templates", "/categories?include_policy_templates=foo", 400),
                Arguments.of("error-invalid-version", "/package/acme_logs/1.x/", 400),
                Arguments.of("error-revision-not-found", "/package/acme_logs/9.9.9/", 404),
                Arguments.of("error-revision-not-found", "/package/broken_pkg/1.0.0/", 404),
                Arguments.of("error-artifact-not-found", "/epr/nothing/nothing-1.0.0.zip", 404),
                Arguments.of("error-invalid-version", "/epr/acme_logs/acme_logs-1.x.zip", 400),
                Arguments.of("error-signature-not-found", "/epr/acme_logs/acme_logs-1.0.0.zip.sig", 404),
                Arguments.of("error-resource-not-found", "/package/gallery/2.0.0/img/missing.png", 404),
                Arguments.of("error-page-not-found", "/nowhere", 404));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("cases")
    void answersAsExpected(String expected, String path, int status) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as(path).isEqualTo(status);
        String ext = status == 200 ? ".json" : ".txt";
        Path file = EXPECTED.resolve(expected + ext);
        if (!Files.exists(file) && Boolean.getBoolean("wharf.epr.writeExpected")) {
            Files.createDirectories(EXPECTED);
            Files.writeString(file, r.body());
        }
        assertThat(r.body()).as(path).isEqualTo(Files.readString(file));
        // EPR's CORS middleware: on every answer of its routes, errors included, not on its not-found handler's.
        assertThat(r.headers().allValues("Access-Control-Allow-Origin")).as(path)
                .isEqualTo(expected.equals("error-page-not-found") ? List.of() : List.of("*"));
        if (status == 200) {
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            // A repeat may be answered in front of the router (search, categories): it must not differ.
            readyServed.clear();
            HttpResponse<String> again = get(path);
            assertThat(again.body()).as(path + " again").isEqualTo(r.body());
            assertThat(again.headers().allValues("Content-Type")).isEqualTo(r.headers().allValues("Content-Type"));
            assertThat(again.headers().allValues("Cache-Control")).isEqualTo(r.headers().allValues("Cache-Control"));
            assertThat(again.headers().allValues("Access-Control-Allow-Origin")).isEqualTo(List.of("*"));
            if (path.startsWith("/search") || path.startsWith("/categories")) {
                assertThat(readyServed).as(path + " repeated from the ready answers").hasSize(1);
            }
        } else if (expected.equals("error-resource-not-found")) {
            // EPR's static handler sets its cache headers before it looks for the file; http.Error keeps them.
            assertThat(r.headers().allValues("Cache-Control")).as(path).contains("public").doesNotContain("private, no-store");
        } else {
            assertThat(r.headers().allValues("Cache-Control")).as(path).contains("max-age=0", "private, no-store");
        }
    }

    /**
     * The first answer (the router's) and its repeats (from memory) agree on every header, Vary and
     * the encoding included, gzipped or not: before, Javalin gzipped the first by its own rule and
     * without Vary, so a cache in front could keep one variant for clients the other was meant for.
     * Each round asks a query no other test asks, so the router answers it first.
     */
    @Test
    void aFirstAnswerAndItsRepeatsAgreeGzippedOrNot() throws Exception {
        List<String> compared = List.of("content-type", "cache-control", "access-control-allow-origin", "vary", "content-encoding",
                "content-length");
        Map<String, byte[]> bodies = new java.util.HashMap<>();
        String[][] rounds = {{"/search?all=true&prerelease=false", "gzip"}, {"/search?prerelease=false&all=true", null},
            {"/categories?prerelease=false", "gzip"}, {"/categories?include_policy_templates=false", null}};
        for (String[] round : rounds) {
            String path = round[0];
            String encoding = round[1];
            readyServed.clear();
            HttpResponse<byte[]> first = getBytes(path, encoding);
            HttpResponse<byte[]> again = getBytes(path, encoding);
            assertThat(readyServed).as(path + ": the router first, then memory").hasSize(1);
            assertThat(again.body()).as(path).isEqualTo(first.body());
            for (String header : compared) {
                assertThat(again.headers().allValues(header)).as(path + " " + header).isEqualTo(first.headers().allValues(header));
            }
            bodies.put(path, gunzipped(first));
        }
        HttpResponse<byte[]> search = getBytes("/search?all=true&prerelease=false", "gzip");
        assertThat(search.headers().allValues("vary")).containsExactly("Accept-Encoding");
        assertThat(search.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(getBytes("/search?prerelease=false&all=true", null).headers().allValues("vary")).containsExactly("Accept-Encoding");
        assertThat(bodies.get("/search?all=true&prerelease=false")).isEqualTo(bodies.get("/search?prerelease=false&all=true"));
    }

    /**
     * A package's index, big enough to be gzipped for a client that accepts it, says that it varies
     * with Accept-Encoding, gzipped or not: without Vary, a cache in front (the answer is public for
     * the index's cache time) could give the gzipped copy to a client that cannot read it.
     */
    @Test
    void aPackageIndexGzippedForOneClientSaysItVariesWithTheEncoding() throws Exception {
        String path = "/package/gallery/2.0.0/";
        HttpResponse<byte[]> plain = getBytes(path, null);
        assertThat(plain.body().length).as("big enough to be gzipped").isGreaterThanOrEqualTo(1500);
        HttpResponse<byte[]> zipped = getBytes(path, "gzip");
        assertThat(zipped.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(gunzipped(zipped)).isEqualTo(plain.body());
        for (HttpResponse<byte[]> r : List.of(plain, zipped)) {
            assertThat(r.headers().allValues("vary")).containsExactly("Accept-Encoding");
            assertThat(r.headers().allValues("cache-control")).containsExactly("max-age=10", "public");
            assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("*");
        }
    }

    private static byte[] gunzipped(HttpResponse<byte[]> r) throws IOException {
        if (r.headers().firstValue("content-encoding").isEmpty()) {
            return r.body();
        }
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(r.body()))) {
            return in.readAllBytes();
        }
    }

    /** Paths of no route of EPR's get gorilla's not-found answer, without the routes' CORS header; its redirects have it. */
    @Test
    void onlyAnswersOfEprsRoutesAllowAnyOrigin() throws Exception {
        for (String path : List.of("/nowhere", "/package/acme_logs", "/package/1.0.0/", "/epr/acme_logs/nothing.tar", "/search/x")) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).isEqualTo("404 page not found\n");
            assertThat(r.headers().allValues("Access-Control-Allow-Origin")).as(path).isEmpty();
        }
        // Nor the redirect of a path that is not clean, which gorilla answers before it matches a route.
        HttpResponse<String> unclean = get("/package//1.0.0/");
        assertThat(unclean.statusCode()).isEqualTo(301);
        assertThat(unclean.headers().allValues("Location")).containsExactly("/package/1.0.0/");
        assertThat(unclean.headers().allValues("Access-Control-Allow-Origin")).isEmpty();
        for (String path : List.of("/search/", "/package/acme_logs/1.1.0", "/health", "/favicon.ico", "/epr/acme_logs/acme_logs-9.9.9.zip")) {
            assertThat(get(path).headers().allValues("Access-Control-Allow-Origin")).as(path).containsExactly("*");
        }
    }

    @Test
    void cacheHeadersFollowTheConfiguredTimes() throws Exception {
        assertThat(get("/search").headers().allValues("Cache-Control")).containsExactly("max-age=600", "public");
        assertThat(get("/categories").headers().allValues("Cache-Control")).containsExactly("max-age=300", "public");
        assertThat(get("/").headers().allValues("Cache-Control")).containsExactly("max-age=10", "public");
        assertThat(get("/package/gallery/2.0.0/docs/README.md").headers().allValues("Cache-Control"))
                .containsExactly("max-age=60", "public");
    }

    @Test
    void servesFilesFromInsidePackagesWithTheirContentTypes() throws Exception {
        Path src = TestPackages.source();
        HttpResponse<byte[]> readme = getBytes("/package/gallery/2.0.0/docs/README.md");
        assertThat(readme.statusCode()).isEqualTo(200);
        assertThat(readme.headers().firstValue("Content-Type")).hasValue("text/markdown; charset=utf-8");
        assertThat(readme.body()).isEqualTo(Files.readAllBytes(src.resolve("gallery/2.0.0/docs/README.md")));

        HttpResponse<byte[]> png = getBytes("/package/gallery/2.0.0/img/overview.png");
        assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(png.body()).isEqualTo(Files.readAllBytes(src.resolve("gallery/2.0.0/img/overview.png")));

        HttpResponse<byte[]> svg = getBytes("/package/gallery/2.0.0/img/gallery-logo.svg");
        assertThat(svg.headers().firstValue("Content-Type")).hasValue("image/svg+xml");

        HttpResponse<byte[]> manifest = getBytes("/package/acme_logs/1.1.0/data_stream/access/manifest.yml");
        assertThat(manifest.headers().firstValue("Content-Type")).hasValue("text/yaml; charset=UTF-8");
        assertThat(manifest.body()).isEqualTo(Files.readAllBytes(src.resolve("acme_logs/1.1.0/data_stream/access/manifest.yml")));

        HttpResponse<byte[]> changelog = getBytes("/package/acme_logs/1.1.0/changelog.yml");
        assertThat(changelog.body()).isEqualTo(Files.readAllBytes(src.resolve("acme_logs/1.1.0/changelog.yml")));
    }

    @Test
    void servesAnIconAsEprDoes() throws Exception {
        HttpResponse<byte[]> icon = getBytes("/favicon.ico");
        assertThat(icon.statusCode()).isEqualTo(200);
        assertThat(icon.headers().allValues("Content-Type")).containsExactly("image/x-icon");
        assertThat(icon.headers().allValues("Cache-Control")).containsExactly("max-age=60", "public");
        // An ICO directory: reserved 0, type 1 (icon), at least one image.
        assertThat(icon.body()).startsWith(0, 0, 1, 0).hasSizeGreaterThan(6);
    }

    @Test
    void servesThePackageZipWithOneRootFolder() throws Exception {
        HttpResponse<byte[]> zip = getBytes("/epr/acme_logs/acme_logs-1.1.0.zip");
        assertThat(zip.statusCode()).isEqualTo(200);
        assertThat(zip.headers().firstValue("Content-Type")).hasValue("application/zip");
        // The announced length, when there is one, is the whole zip, not a piece (a package folder's zip is
        // built on disk and has one; EPR's archiver streams it without).
        zip.headers().firstValueAsLong("Content-Length").ifPresent(length -> assertThat(length).isEqualTo(zip.body().length));
        List<String> files = new ArrayList<>();
        byte[] manifest = null;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (!e.isDirectory()) {
                    files.add(e.getName());
                }
                if (e.getName().equals("acme_logs-1.1.0/manifest.yml")) {
                    manifest = in.readAllBytes();
                }
            }
        }
        assertThat(files).containsExactlyInAnyOrder(
                "acme_logs-1.1.0/manifest.yml", "acme_logs-1.1.0/changelog.yml", "acme_logs-1.1.0/docs/README.md",
                "acme_logs-1.1.0/data_stream/access/manifest.yml",
                "acme_logs-1.1.0/data_stream/access/fields/base-fields.yml",
                "acme_logs-1.1.0/data_stream/access/elasticsearch/ingest_pipeline/default.yml");
        assertThat(manifest).isEqualTo(Files.readAllBytes(TestPackages.source().resolve("acme_logs/1.1.0/manifest.yml")));
    }

    @Test
    void servesTheSignatureBesideThePackage() throws Exception {
        HttpResponse<byte[]> sig = getBytes("/epr/acme_logs/acme_logs-1.1.0.zip.sig");
        assertThat(sig.statusCode()).isEqualTo(200);
        assertThat(sig.body()).isEqualTo(Files.readAllBytes(TestPackages.source().resolve("acme_logs/1.1.0.sig")));
    }

    /**
     * Whether the indexer's zips and signatures are blobs named by a digest (OCI), served with it as
     * their entity tag; files on disk are served with their time instead, as EPR serves them.
     */
    protected boolean blobsNamedByDigest() {
        return false;
    }

    /**
     * A client or a cache in front holding a copy asks again with its validator, and a current copy
     * is a 304 without a body or a length, for the zip, the signature and the files inside a package.
     */
    @Test
    void aCopyThatIsCurrentIsConfirmedWithoutItsBody() throws Exception {
        for (String path : List.of("/epr/gallery/gallery-2.0.0.zip", "/epr/acme_logs/acme_logs-1.1.0.zip.sig",
                "/package/gallery/2.0.0/docs/README.md", "/package/acme_logs/1.1.0/manifest.yml")) {
            HttpResponse<byte[]> whole = send(path, "GET", Map.of());
            assertThat(whole.statusCode()).as(path).isEqualTo(200);
            Optional<String> tag = whole.headers().firstValue("ETag");
            Optional<String> modified = whole.headers().firstValue("Last-Modified");
            boolean blob = !path.startsWith("/package/");
            if (blob && blobsNamedByDigest()) {
                assertThat(tag).as(path).hasValue("\"" + Digest.sha256(whole.body()) + "\"");
            } else {
                // A file's time, or a zip entry's, which is the same on every replica holding the zip.
                assertThat(tag).as(path).isEmpty();
                assertThat(modified).as(path).isPresent();
            }
            Map<String, String> current = tag.isPresent() ? Map.of("If-None-Match", tag.get())
                    : Map.of("If-Modified-Since", modified.orElseThrow());
            for (String method : List.of("GET", "HEAD")) {
                HttpResponse<byte[]> confirmed = send(path, method, current);
                assertThat(confirmed.statusCode()).as(method + " " + path).isEqualTo(304);
                assertThat(confirmed.body()).isEmpty();
                assertThat(confirmed.headers().firstValue("Content-Length")).as(path).isEmpty();
                assertThat(confirmed.headers().firstValue("Content-Type")).as(path).isEmpty();
                assertThat(confirmed.headers().firstValue("ETag")).isEqualTo(tag);
                assertThat(confirmed.headers().allValues("Cache-Control")).as(path).isNotEmpty();
            }
            // Go's ServeContent, for EPR's POST answered as a GET: the tag's condition fails with 412, the date counts for GET and HEAD only.
            List<Map<String, String>> postConditions = new java.util.ArrayList<>(List.of(Map.of("If-None-Match", "*")));
            tag.ifPresent(t -> postConditions.add(Map.of("If-None-Match", "\"sha256:0000\", " + t)));
            for (Map<String, String> condition : postConditions) {
                HttpResponse<byte[]> refused = send(path, "POST", condition);
                assertThat(refused.statusCode()).as("POST " + path + " " + condition).isEqualTo(412);
                assertThat(refused.body()).as(path).isEmpty();
                assertThat(refused.headers().firstValue("Content-Length")).as(path).hasValue("0");
                assertThat(refused.headers().firstValue("Content-Type")).as(path).isEmpty();
                assertThat(refused.headers().firstValue("ETag")).as(path).isEqualTo(tag);
                assertThat(refused.headers().firstValue("Last-Modified")).as(path).isEqualTo(modified);
                assertThat(refused.headers().allValues("Cache-Control")).as(path).containsExactly("max-age=60", "public");
            }
            if (modified.isPresent()) {
                HttpResponse<byte[]> posted = send(path, "POST", Map.of("If-Modified-Since", modified.get()));
                assertThat(posted.statusCode()).as("POST " + path + " If-Modified-Since").isEqualTo(200);
                assertThat(posted.body()).as(path).isEqualTo(whole.body());
            }
            Map<String, String> stale = tag.isPresent() ? Map.of("If-None-Match", "\"sha256:0000\"")
                    : Map.of("If-Modified-Since", DateGenerator.formatDate(
                            Instant.ofEpochMilli(HttpDateTime.parseToEpoch(modified.orElseThrow())).minusSeconds(1)));
            HttpResponse<byte[]> changed = send(path, "GET", stale);
            assertThat(changed.statusCode()).as(path + " " + stale).isEqualTo(200);
            assertThat(changed.body()).isEqualTo(whole.body());
            if (blob) {
                // A download resumed with If-Range gets the part only while the copy it began is current.
                String validator = tag.orElseGet(modified::orElseThrow);
                HttpResponse<byte[]> resumed = send(path, "GET", Map.of("Range", "bytes=5-9", "If-Range", validator));
                assertThat(resumed.statusCode()).as(path).isEqualTo(206);
                assertThat(resumed.body()).isEqualTo(Arrays.copyOfRange(whole.body(), 5, 10));
                String other = tag.isPresent() ? "\"sha256:0000\"" : stale.get("If-Modified-Since");
                HttpResponse<byte[]> restarted = send(path, "GET", Map.of("Range", "bytes=5-9", "If-Range", other));
                assertThat(restarted.statusCode()).as(path).isEqualTo(200);
                assertThat(restarted.body()).isEqualTo(whole.body());
            }
        }
    }

    /**
     * A client that means to act only on the copy it holds (If-Match, or If-Unmodified-Since without
     * it) is refused another with 412 and no body, whatever the method, as Go's ServeContent refuses
     * it: a weak tag never matches, '*' matches any file, and the date is not looked at beside If-Match.
     */
    @Test
    void aPreconditionThatFailsIsRefusedWithoutTheBody() throws Exception {
        for (String path : List.of("/epr/gallery/gallery-2.0.0.zip", "/epr/acme_logs/acme_logs-1.1.0.zip.sig",
                "/package/gallery/2.0.0/docs/README.md", "/package/acme_logs/1.1.0/manifest.yml")) {
            HttpResponse<byte[]> whole = send(path, "GET", Map.of());
            Optional<String> tag = whole.headers().firstValue("ETag");
            Optional<String> modified = whole.headers().firstValue("Last-Modified");
            List<Map<String, String>> failing = new ArrayList<>(List.of(Map.of("If-Match", "\"sha256:0000\""),
                    Map.of("If-Match", "\"sha256:0000\"", "If-Unmodified-Since", DateGenerator.formatDate(Instant.now().plusSeconds(3600)))));
            List<Map<String, String>> holding = new ArrayList<>(List.of(Map.of("If-Match", "*"), Map.of("If-Match", "\"sha256:0000\", *")));
            tag.ifPresent(t -> {
                failing.add(Map.of("If-Match", "W/" + t));
                holding.add(Map.of("If-Match", "\"sha256:0000\", " + t));
            });
            modified.ifPresent(m -> {
                String before = DateGenerator.formatDate(Instant.ofEpochMilli(HttpDateTime.parseToEpoch(m)).minusSeconds(1));
                failing.add(Map.of("If-Unmodified-Since", before));
                holding.add(Map.of("If-Unmodified-Since", m));
                holding.add(Map.of("If-Match", "*", "If-Unmodified-Since", before));
                holding.add(Map.of("If-Unmodified-Since", "not a date"));
            });
            for (Map<String, String> condition : failing) {
                for (String method : List.of("GET", "HEAD", "POST")) {
                    HttpResponse<byte[]> refused = send(path, method, condition);
                    String what = method + " " + path + " " + condition;
                    assertThat(refused.statusCode()).as(what).isEqualTo(412);
                    assertThat(refused.body()).as(what).isEmpty();
                    // Go's empty answer has a length of 0, but for a HEAD.
                    assertThat(refused.headers().firstValue("Content-Length")).as(what)
                            .isEqualTo(method.equals("HEAD") ? Optional.empty() : Optional.of("0"));
                    assertThat(refused.headers().firstValue("Content-Type")).as(what).isEmpty();
                    assertThat(refused.headers().firstValue("ETag")).as(what).isEqualTo(tag);
                    assertThat(refused.headers().firstValue("Last-Modified")).as(what).isEqualTo(modified);
                    assertThat(refused.headers().allValues("Cache-Control")).as(what).containsExactly("max-age=60", "public");
                }
            }
            for (Map<String, String> condition : holding) {
                for (String method : List.of("GET", "POST")) {
                    HttpResponse<byte[]> served = send(path, method, condition);
                    assertThat(served.statusCode()).as(method + " " + path + " " + condition).isEqualTo(200);
                    assertThat(served.body()).as(path).isEqualTo(whole.body());
                }
            }
            // A copy that still matches is then current: If-None-Match is asked next.
            assertThat(send(path, "GET", Map.of("If-Match", "*", "If-None-Match", "*")).statusCode()).as(path).isEqualTo(304);
            assertThat(send(path, "GET", Map.of("If-Match", "\"sha256:0000\"", "If-None-Match", "*")).statusCode()).as(path).isEqualTo(412);
            if (!path.startsWith("/package/")) {
                HttpResponse<byte[]> part = send(path, "GET", Map.of("If-Match", "*", "Range", "bytes=5-9"));
                assertThat(part.statusCode()).as(path).isEqualTo(206);
                assertThat(part.body()).isEqualTo(Arrays.copyOfRange(whole.body(), 5, 10));
            }
        }
    }

    /**
     * The zip of a package kept as a folder is built here and carries no validator, as EPR's, which its
     * archiver writes without ServeContent: EPR looks at no condition for it, so neither '*' nor a tag
     * nor a date settles it, and every method gets the whole zip.
     */
    @Test
    void aZipWithoutValidatorsIgnoresEveryCondition() throws Exception {
        String path = "/epr/acme_logs/acme_logs-1.1.0.zip";
        HttpResponse<byte[]> whole = send(path, "GET", Map.of());
        assertThat(whole.statusCode()).isEqualTo(200);
        if (blobsNamedByDigest()) {
            // A blob in the registry: named by its digest, stamped like every other.
            assertThat(whole.headers().firstValue("ETag")).isPresent();
            return;
        }
        // The file-system indexers: acme_logs 1.1.0 is an unpacked folder.
        assertThat(whole.headers().firstValue("ETag")).isEmpty();
        assertThat(whole.headers().firstValue("Last-Modified")).isEmpty();
        String future = DateGenerator.formatDate(Instant.now().plusSeconds(3600));
        String past = DateGenerator.formatDate(Instant.parse("2000-01-01T00:00:00Z"));
        for (Map<String, String> condition : List.of(Map.of("If-None-Match", "*"), Map.of("If-None-Match", "\"sha256:0000\", *"),
                Map.of("If-Modified-Since", future), Map.of("If-Match", "\"sha256:0000\""), Map.of("If-Unmodified-Since", past))) {
            for (String method : List.of("GET", "POST")) {
                HttpResponse<byte[]> served = send(path, method, condition);
                assertThat(served.statusCode()).as(method + " " + condition).isEqualTo(200);
                assertThat(served.headers().firstValue("Content-Type")).hasValue("application/zip");
                assertThat(served.body()).as(method + " " + condition).isEqualTo(whole.body());
            }
        }
    }

    private HttpResponse<byte[]> send(String path, String method, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.localUri() + path)).method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Go drops a query pair holding a ';' (1.17 and later): EPR answers as if the pair were not there. */
    @Test
    void aQueryPairWithASemicolonIsDroppedAsGoDropsIt() throws Exception {
        HttpResponse<String> all = get("/search");
        HttpResponse<String> dropped = get("/search?package=acme_logs;all=true");
        assertThat(dropped.statusCode()).isEqualTo(200);
        assertThat(dropped.body()).isEqualTo(all.body());
        assertThat(get("/search?kibana.version=8.1.0;x").statusCode()).isEqualTo(200);
        assertThat(get("/categories?prerelease=true;x=1").body()).isEqualTo(get("/categories").body());
    }

    @Test
    void leavesTheBrokenPackageOutAndKeepsTheOthers() throws Exception {
        assertThat(get("/search?package=broken_pkg&all=true").body()).isEqualTo("[]");
        assertThat(indexer.packages()).extracting(p -> p.key()).containsExactlyInAnyOrder(
                "acme_logs-1.0.0", "acme_logs-1.1.0", "acme_logs-1.2.0-beta1", "gallery-2.0.0", "legacy_stack-1.0.0",
                "sensor_input-0.3.0");
    }

    protected HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.localUri() + path)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    protected HttpResponse<byte[]> getBytes(String path) throws Exception {
        return getBytes(path, null);
    }

    private HttpResponse<byte[]> getBytes(String path, String acceptEncoding) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.localUri() + path));
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
