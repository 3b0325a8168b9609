package dev.wharf.epr.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code spec.min} and {@code spec.max} over an index holding a package without a format version,
 * which only validation off lets in. EPR's filter stops at such a package with an error, and its
 * {@code /search} and {@code /categories} answer the whole request 404 with that error's words; a
 * filter that leaves the package out before its spec is compared (a name, the legacy
 * {@code experimental=true}) answers as usual.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpecFilterWithoutFormatVersionTest {
    private FolderPackagesServer epr;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        epr = FolderPackagesServer.start("epr-spec-", SpecFilterWithoutFormatVersionTest::layout, false);
    }

    @AfterAll
    void stop() throws IOException {
        epr.close();
    }

    private static Path layout(Path dir) throws IOException {
        Path root = dir.resolve("packages");
        write(root, "no_spec", "");
        write(root, "with_spec", "format_version: 3.0.0\n");
        return root;
    }

    private static void write(Path root, String name, String formatVersion) throws IOException {
        Path pkg = Files.createDirectories(root.resolve(name).resolve("1.0.0"));
        Files.writeString(pkg.resolve("manifest.yml"), formatVersion + "name: " + name + "\ntitle: T\nversion: 1.0.0\n"
                + "description: A package.\ntype: integration\ncategories:\n  - security\n");
        Files.createDirectories(pkg.resolve("docs"));
        Files.writeString(pkg.resolve("docs/README.md"), "# T\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/search?spec.min=3.0 | fetching package failed: can't compare spec version for no_spec (3.0.0-<nil>): package spec version is not set",
            "/search?spec.max=3.1 | fetching package failed: can't compare spec version for no_spec (<nil>-3.1.0): package spec version is not set",
            "/search?spec.min=2.0&spec.max=3.1&all=true | fetching package failed: can't compare spec version for no_spec (2.0.0-3.1.0): "
                    + "package spec version is not set",
            "/categories?spec.min=3.0 | can't compare spec version for no_spec (3.0.0-<nil>): package spec version is not set"})
    void aSpecFilterThatReachesAPackageWithoutOneIs404(String path, String message) throws Exception {
        for (String method : new String[] {"GET", "POST"}) {
            HttpResponse<String> r = send(method, path);
            assertThat(r.statusCode()).as(method + " " + path).isEqualTo(404);
            assertThat(r.body()).as(path).isEqualTo(message + "\n");
            assertThat(r.headers().allValues("Content-Type")).as(path).containsExactly("text/plain; charset=utf-8");
            assertThat(r.headers().allValues("Cache-Control")).as(path).containsExactly("max-age=0", "private, no-store");
        }
    }

    @Test
    void aFilterThatLeavesThePackageOutFirstAnswersAsUsual() throws Exception {
        HttpResponse<String> named = send("GET", "/search?spec.min=3.0&package=with_spec");
        assertThat(named.statusCode()).isEqualTo(200);
        assertThat(named.body()).contains("\"name\": \"with_spec\"").doesNotContain("no_spec");
        HttpResponse<String> legacy = send("GET", "/search?spec.min=3.0&experimental=true");
        assertThat(legacy.statusCode()).isEqualTo(200);
        assertThat(legacy.body()).contains("\"name\": \"no_spec\"", "\"name\": \"with_spec\"");
        HttpResponse<String> unfiltered = send("GET", "/search");
        assertThat(unfiltered.statusCode()).isEqualTo(200);
        assertThat(unfiltered.body()).contains("\"name\": \"no_spec\"", "\"name\": \"with_spec\"");
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest.BodyPublisher body = method.equals("GET") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("x=1");
        return http.send(HttpRequest.newBuilder(epr.uri(path)).method(method, body).build(), HttpResponse.BodyHandlers.ofString());
    }
}
