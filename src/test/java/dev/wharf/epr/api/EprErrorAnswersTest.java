package dev.wharf.epr.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every error and redirect answer of every route, as EPR 1.40 gives it: its handlers' texts through
 * Go's {@code http.Error}, gorilla's routes (which path reaches which handler) and gorilla's
 * {@code StrictSlash(true)} redirects. One table per route.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EprErrorAnswersTest {
    private static final String TEXT = "text/plain; charset=utf-8";

    private FolderPackagesServer epr;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        epr = FolderPackagesServer.start("epr-errors-");
    }

    @AfterAll
    void stop() throws IOException {
        epr.close();
    }

    static Stream<Arguments> search() {
        return Stream.of(
                error("/search?prerelease=foo", 400, "invalid 'prerelease' query param: 'foo'"),
                error("/search?all=maybe", 400, "invalid 'all' query param: 'maybe'"),
                error("/search?experimental=x", 400, "invalid 'experimental' query param: 'x'"),
                error("/search?kibana.version=eight", 400, "invalid Kibana version 'eight': invalid semantic version"),
                error("/search?agent.version=x", 400, "invalid agent version 'x': invalid semantic version"),
                error("/search?kibana.version=8.10.0-01", 400, "invalid Kibana version '8.10.0-01': version segment starts with 0"),
                error("/search?kibana.version=%208.10.0", 400, "invalid Kibana version ' 8.10.0': invalid semantic version"),
                error("/search?kibana.version=8.12.0%00", 400, "invalid Kibana version '8.12.0\u0000': invalid semantic version"),
                error("/search?spec.min=1", 400, "invalid 'spec.min' version: invalid version '1': it should be <major.version>"),
                error("/search?spec.max=a.b", 400, "invalid 'spec.max' version: invalid spec version 'a.b': invalid semantic version"),
                // Masterminds reads major, minor and patch as Go's uint64: past it, strconv's words; the numbers before the prerelease.
                error("/search?kibana.version=8.18446744073709551616.0", 400, "invalid Kibana version '8.18446744073709551616.0': "
                        + "error parsing version segment: strconv.ParseUint: parsing \"18446744073709551616\": value out of range"),
                error("/search?kibana.version=99999999999999999999.0.0-01", 400, "invalid Kibana version '99999999999999999999.0.0-01': "
                        + "error parsing version segment: strconv.ParseUint: parsing \"99999999999999999999\": value out of range"),
                error("/search?agent.version=8.0.099999999999999999999", 400, "invalid agent version '8.0.099999999999999999999': "
                        + "error parsing version segment: strconv.ParseUint: parsing \"099999999999999999999\": value out of range"),
                error("/search?spec.min=1.99999999999999999999", 400, "invalid 'spec.min' version: invalid spec version '1.99999999999999999999': "
                        + "error parsing version segment: strconv.ParseUint: parsing \"99999999999999999999\": value out of range"),
                error("/search?discovery=nothing", 400, "invalid 'discovery' query param: 'nothing': could not parse filter \"nothing\""),
                error("/search?discovery=foo:bar", 400, "invalid 'discovery' query param: 'foo:bar': unknown discovery filter \"foo\""),
                error("/search?unknown=1", 400, "unknown query parameter: \"unknown\""),
                moved("/search/", "/search"),
                moved("/search/?package=acme_logs&all=true", "/search?package=acme_logs&all=true"));
    }

    static Stream<Arguments> categories() {
        return Stream.of(
                error("/categories?include_policy_templates=foo", 400, "invalid 'include_policy_templates' query param: 'foo'"),
                error("/categories?prerelease=x", 400, "invalid 'prerelease' query param: 'x'"),
                error("/categories?kibana.version=x", 400, "invalid Kibana version 'x': invalid semantic version"),
                error("/categories?kibana.version=18446744073709551616", 400, "invalid Kibana version '18446744073709551616': "
                        + "error parsing version segment: strconv.ParseUint: parsing \"18446744073709551616\": value out of range"),
                error("/categories?spec.max=3.18446744073709551616", 400, "invalid 'spec.max' version: invalid spec version '3.18446744073709551616': "
                        + "error parsing version segment: strconv.ParseUint: parsing \"18446744073709551616\": value out of range"),
                error("/categories?all=true", 400, "unknown query parameter: \"all\""),
                moved("/categories/", "/categories"));
    }

    static Stream<Arguments> packageIndex() {
        return Stream.of(
                error("/package/acme_logs/9.9.9/", 404, "package revision not found"),
                error("/package/nothing/1.0.0/", 404, "package revision not found"),
                error("/package/acme_logs/1.x/", 400, "invalid package version"),
                // StrictNewVersion reads the numbers as uint64: past an int a version the index lacks, past uint64 a refused one.
                error("/package/acme_logs/4294967296.0.0/", 404, "package revision not found"),
                error("/package/acme_logs/1.18446744073709551615.0/", 404, "package revision not found"),
                error("/package/acme_logs/18446744073709551616.0.0/", 400, "invalid package version"),
                moved("/package/acme_logs/1.1.0", "/package/acme_logs/1.1.0/"),
                // Not a package name: only the file route matches, whose path ends without a slash.
                moved("/package/Acme/1.0.0/", "/package/Acme/1.0.0"),
                error("/package/Acme/1.0.0", 404, "404 page not found"),
                error("/package/acme_logs/", 404, "404 page not found"));
    }

    static Stream<Arguments> files() {
        return Stream.of(
                error("/package/acme_logs/1.1.0/missing.txt", 404, "resource not found"),
                error("/package/acme_logs/9.9.9/docs/README.md", 404, "package revision not found"),
                error("/package/nothing/1.0.0/docs/README.md", 404, "package revision not found"),
                error("/package/acme_logs/1.x/docs/README.md", 400, "invalid package version"),
                error("/package/acme_logs/1.1.4294967296/docs/README.md", 404, "package revision not found"),
                error("/package/acme_logs/1.1.18446744073709551616/docs/README.md", 400, "invalid package version"),
                moved("/package/acme_logs/1.1.0/docs/", "/package/acme_logs/1.1.0/docs"),
                moved("/package/acme_logs/1.1.0/docs/README.md/", "/package/acme_logs/1.1.0/docs/README.md"));
    }

    static Stream<Arguments> artifacts() {
        return Stream.of(
                error("/epr/nothing/nothing-1.0.0.zip", 404, "artifact not found"),
                error("/epr/acme_logs/acme_logs-1.x.zip", 400, "invalid package version"),
                error("/epr/acme_logs/acme_logs-4294967296.1.0.zip", 404, "artifact not found"),
                error("/epr/acme_logs/acme_logs-99999999999999999999.1.0.zip", 400, "invalid package version"),
                error("/epr/acme_logs/Acme-1.1.0.zip", 404, "404 page not found"),
                error("/epr/acme_logs/acme_logs.zip", 404, "404 page not found"),
                moved("/epr/acme_logs/acme_logs-1.1.0.zip/", "/epr/acme_logs/acme_logs-1.1.0.zip"));
    }

    static Stream<Arguments> signatures() {
        return Stream.of(
                error("/epr/nothing/nothing-1.0.0.zip.sig", 404, "signature file not found"),
                error("/epr/acme_logs/acme_logs-1.x.zip.sig", 400, "invalid package version"),
                error("/epr/acme_logs/acme_logs-1.4294967296.0.zip.sig", 404, "signature file not found"),
                // EPR answers 500 "internal server error" here (it opens the missing file); Fleet reads 404 as "not signed".
                error("/epr/acme_logs/acme_logs-1.0.0.zip.sig", 404, "signature file not found"),
                moved("/epr/acme_logs/acme_logs-1.1.0.zip.sig/", "/epr/acme_logs/acme_logs-1.1.0.zip.sig"));
    }

    static Stream<Arguments> others() {
        return Stream.of(
                error("/nowhere", 404, "404 page not found"),
                error("/package/", 404, "404 page not found"),
                error("/epr/acme_logs", 404, "404 page not found"),
                moved("/health/", "/health"),
                moved("/index.json/", "/index.json"),
                moved("/favicon.ico/", "/favicon.ico"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"search", "categories", "packageIndex", "files", "artifacts", "signatures", "others"})
    void answersAsEprDoes(String path, int status, String body, String contentType, String location) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(epr.uri(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(status);
        assertThat(r.body()).as(path).isEqualTo(body);
        assertThat(r.headers().allValues("Content-Type")).as(path).containsExactly(contentType);
        if (status == 301) {
            assertThat(r.headers().allValues("Location")).as(path).containsExactly(location);
            assertThat(r.headers().allValues("Cache-Control")).as(path).isEmpty();
        } else if (body.equals("resource not found\n")) {
            // EPR's static handler sets its cache headers before it looks for the file; http.Error keeps them.
            assertThat(r.headers().allValues("Cache-Control")).as(path).containsExactly("max-age=60", "public");
            assertThat(r.headers().allValues("X-Content-Type-Options")).as(path).containsExactly("nosniff");
        } else {
            assertThat(r.headers().allValues("Cache-Control")).as(path).containsExactly("max-age=0", "private, no-store");
            assertThat(r.headers().allValues("X-Content-Type-Options")).as(path).containsExactly("nosniff");
        }
    }

    /** Requests refused before any route: the plain text of Go's server, not Jetty's HTML page. */
    @org.junit.jupiter.api.Test
    void requestsRefusedBeforeTheRoutesAreAnsweredInPlainText() throws Exception {
        HttpResponse<String> notUtf8 = http.send(HttpRequest.newBuilder(epr.uri("/package/%ff/1.0.0/")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> bigHeader = http.send(HttpRequest.newBuilder(epr.uri("/search"))
                .header("X-Big", "a".repeat(20_000)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(notUtf8.statusCode()).isEqualTo(400);
        assertThat(notUtf8.body()).isEqualTo("400 Bad Request: Bad UTF-8 encoding");
        assertThat(bigHeader.statusCode()).isEqualTo(431);
        assertThat(bigHeader.body()).isEqualTo("431 Request Header Fields Too Large");
        for (HttpResponse<String> refused : List.of(notUtf8, bigHeader)) {
            assertThat(refused.headers().allValues("Content-Type")).containsExactly(TEXT);
        }
    }

    /** HEAD as Go's server answers it for EPR's handlers, which take any method: GET's status and headers, no body. */
    @ParameterizedTest(name = "{0}")
    @MethodSource({"search", "categories", "packageIndex", "files", "artifacts", "signatures", "others", "served"})
    void headAnswersAsGetWithoutTheBody(String path) throws Exception {
        URI uri = epr.uri(path);
        HttpResponse<byte[]> get = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).as(path).isEqualTo(get.statusCode());
        assertThat(head.body()).as(path).isEmpty();
        assertThat(head.headers().firstValueAsLong("Content-Length")).as(path).hasValue(get.body().length);
        for (String header : List.of("Content-Type", "Location", "Cache-Control", "Access-Control-Allow-Origin")) {
            assertThat(head.headers().allValues(header)).as(path + " " + header).isEqualTo(get.headers().allValues(header));
        }
    }

    /**
     * gorilla cleans a path before any route sees it, and sends the client to the clean form: Kibana
     * with {@code xpack.fleet.registryUrl: http://host:8080/} asks for {@code //search?kibana.version=…}.
     */
    @ParameterizedTest(name = "{0} → {1}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "//search?kibana.version=8.15.0 | /search?kibana.version=8.15.0",
            "//package/acme_logs/1.1.0/ | /package/acme_logs/1.1.0/",
            "//epr/acme_logs/acme_logs-1.1.0.zip | /epr/acme_logs/acme_logs-1.1.0.zip",
            "/./categories | /categories",
            "/package/acme_logs/1.0.0/../1.1.0/manifest.yml | /package/acme_logs/1.1.0/manifest.yml",
            "/package/acme_logs/1.1.0/%2E%2e/1.0.0/ | /package/acme_logs/1.0.0/",
            "/package/acme_logs//1.1.0/docs/README.md | /package/acme_logs/1.1.0/docs/README.md",
            "/search/. | /search",
            "/nowhere// | /nowhere/"})
    void aPathThatIsNotCleanIsSentToItsCleanForm(String path, String location) throws Exception {
        // gorilla redirects before it looks at the method: every method gets the same 301.
        for (String method : List.of("GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE")) {
            HttpRequest.BodyPublisher body = method.equals("GET") || method.equals("HEAD") ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString("x=1");
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(epr.uri(path)).method(method, body).build(),
                    HttpResponse.BodyHandlers.ofString());
            String asked = method + " " + path;
            assertThat(r.statusCode()).as(asked).isEqualTo(301);
            assertThat(r.headers().allValues("Location")).as(asked).containsExactly(location);
            assertThat(r.body()).as(asked).isEmpty();
            // Written before gorilla matches a route, so without the CORS middleware's header, and with no body to type.
            assertThat(r.headers().allValues("Content-Type")).as(asked).isEmpty();
            assertThat(r.headers().allValues("Access-Control-Allow-Origin")).as(asked).isEmpty();
            assertThat(r.headers().allValues("Allow")).as(asked).isEmpty();
        }
        // Where the client is sent, it gets the answer (the one place left to go elsewhere is a 404).
        if (!location.startsWith("/nowhere")) {
            HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
            assertThat(following.send(HttpRequest.newBuilder(epr.uri(path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                    .as(path).isEqualTo(200);
        }
    }

    static Stream<String> served() {
        return Stream.of("/", "/index.json", "/search", "/categories", "/health", "/favicon.ico", "/package/acme_logs/1.1.0/",
                "/package/acme_logs/1.1.0/docs/README.md", "/epr/acme_logs/acme_logs-1.1.0.zip", "/epr/acme_logs/acme_logs-1.1.0.zip.sig");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servedUnderAnyFolderName")
    void theFolderOfAnArtifactPathIsNotCheckedAsInEpr(String path) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(epr.uri(path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
    }

    static Stream<String> servedUnderAnyFolderName() {
        return Stream.of("/epr/other/acme_logs-1.1.0.zip", "/epr/other/acme_logs-1.1.0.zip.sig");
    }

    private static Arguments error(String path, int status, String message) {
        return Arguments.of(path, status, message + "\n", TEXT, "");
    }

    private static Arguments moved(String path, String location) {
        return Arguments.of(path, 301, "<a href=\"" + location.replace("&", "&amp;") + "\">Moved Permanently</a>.\n\n",
                "text/html; charset=utf-8", location);
    }
}
