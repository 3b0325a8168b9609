package dev.wharf.epr.ui;

import static dev.wharf.epr.ui.ServedPackageUi.HTTP;
import static dev.wharf.epr.ui.ServedPackageUi.get;
import static dev.wharf.epr.ui.ServedPackageUi.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * package-registry's {@code /ui/} over HTTP, on the real API and file-system indexer: what each page
 * shows, the escaping of a hostile package's title, description and README, and the headers that keep
 * scripts out. The sign-in that guards the pages is PackageUiSignInTest's.
 */
class PackageUiTest {
    @TempDir
    static Path dir;
    private static ServedPackageUi ui;
    private static UiPackages packages;
    private static URI open;
    private static URI guarded;

    @BeforeAll
    static void start() throws Exception {
        ui = new ServedPackageUi(dir);
        packages = ui.packages;
        open = ui.open;
        guarded = ui.guarded;
    }

    @AfterAll
    static void stop() {
        ui.close();
    }

    @Test
    void thePackagesPageListsEveryPackageWithItsVersionsNewestFirstTitleTypeKibanaConditionAndSignature() throws Exception {
        HttpResponse<String> page = get(open, "/ui/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(PackageUi.CSP);
        assertThat(PackageUi.CSP).contains("default-src 'none'").doesNotContain("unsafe-inline").doesNotContain("script-src");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        String body = page.body();
        assertThat(body).contains("<h1>Packages</h1>", "<label for=\"q\">", "<label for=\"type\">", "Acme Logs", "Sensor input",
                "integration", "input", "^8.10.0 || ^9.0.0", "^8.12.0", "href=\"/ui/packages/acme_logs/1.2.0-beta1\"",
                "href=\"/ui/packages/gallery/2.0.0\"").doesNotContain("<script").doesNotContain("broken_pkg");
        String acme = row(body, "acme_logs");
        assertThat(acme.indexOf(">1.2.0-beta1<")).isPositive().isLessThan(acme.indexOf(">1.1.0<"));
        assertThat(acme.indexOf(">1.1.0<")).isLessThan(acme.indexOf(">1.0.0<"));
        // 1.1.0 is the one version with a .sig beside it.
        assertThat(acme).contains(">1.1.0</a> <span class=\"sig signed\">signed</span>", ">1.0.0</a> <span class=\"sig unsigned\">unsigned</span>");
        assertThat(body).contains("<option value=\"input\">input</option>", "<option value=\"integration\">integration</option>");
    }

    @Test
    void theSearchFindsByNameTitleAndDescriptionAndByType() throws Exception {
        assertThat(names(get(open, "/ui/?q=sensor_input", null).body())).containsExactly("sensor_input");
        assertThat(names(get(open, "/ui/?q=" + URLEncoder.encode("acme LOGS", StandardCharsets.UTF_8), null).body())).containsExactly("acme_logs");
        assertThat(names(get(open, "/ui/?q=" + URLEncoder.encode("web servers", StandardCharsets.UTF_8), null).body())).containsExactly("acme_logs");
        assertThat(names(get(open, "/ui/?q=gateway", null).body())).contains("sensor_input").doesNotContain("acme_logs");
        assertThat(names(get(open, "/ui/?type=integration", null).body())).contains("acme_logs").doesNotContain("sensor_input");
        String typed = get(open, "/ui/?type=input&q=sensor", null).body();
        assertThat(names(typed)).containsExactly("long_readme", "sensor_input");
        assertThat(typed).contains("<option value=\"input\" selected>");
        assertThat(get(open, "/ui/?q=nothing-like-this", null).body()).contains("No packages match.");
        assertThat(get(open, "/ui/?q=%3Cb%3Exss", null).body()).contains("value=\"&lt;b&gt;xss\"").doesNotContain("<b>xss");
    }

    @Test
    void aPackagePageShowsTheReadmeDataStreamsPolicyTemplatesOwnerAndDownloads() throws Exception {
        HttpResponse<String> page = get(open, "/ui/packages/acme_logs/1.1.0", null);
        assertThat(page.statusCode()).isEqualTo(200);
        String body = page.body();
        assertThat(body).contains("<h1><bdi>Acme Logs</bdi> <span class=\"note\">1.1.0</span></h1>", "Collects access logs from Acme web servers.",
                "<dt>Owner</dt><dd><bdi>wharf/integrations</bdi> (<bdi>community</bdi>)</dd>", "<dt>Kibana</dt><dd>^8.10.0 || ^9.0.0</dd>",
                "<span class=\"sig signed\">signed</span>",
                "href=\"/epr/acme_logs/acme_logs-1.1.0.zip\"", "href=\"/epr/acme_logs/acme_logs-1.1.0.zip.sig\"",
                "aria-current=\"page\">1.1.0<",
                "<tr><td>Access</td><td>logs</td><td>acme_logs.access</td></tr>",
                "<tr><td>access</td><td>Access logs</td><td>Collect access logs</td><td><bdi>access</bdi></td><td><bdi>logfile</bdi></td></tr>");
        String readme = body.substring(body.indexOf("<section class=\"readme\""));
        assertThat(readme).contains("<h1>Acme Logs 1.1.0</h1>", "Reads Acme access logs.");
        // An unsigned version links no signature, and each version shows its own README.
        String older = get(open, "/ui/packages/acme_logs/1.0.0", null).body();
        assertThat(older).contains("<span class=\"sig unsigned\">unsigned</span>").doesNotContain(".zip.sig");
        assertThat(older.substring(older.indexOf("<section class=\"readme\""))).contains("1.0.0").doesNotContain("1.1.0");
        assertThat(get(open, "/ui/packages/sensor_input/0.3.0", null).body()).contains("This package has no data streams.",
                "<dt>Owner</dt><dd><bdi>wharf/sensors</bdi></dd>");

        HttpResponse<String> missing = get(open, "/ui/packages/acme_logs/9.9.9", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(missing.body()).contains("<h1>Not found</h1>", "no package <bdi>acme_logs</bdi> <bdi>9.9.9</bdi>.");
        assertThat(get(open, "/ui/packages/%3Cscript%3E/1.0.0", null).body()).contains("&lt;script&gt;").doesNotContain("<script>");
    }

    /** A package without a version leads to its newest, the one the list links to; any other path is the UI's own 404 page. */
    @Test
    void aPackageWithoutAVersionIsItsNewestAndAMistypedPageIsTheUisOwn404() throws Exception {
        HttpResponse<String> newest = get(open, "/ui/packages/acme_logs", null);
        assertThat(newest.statusCode()).isEqualTo(302);
        assertThat(newest.headers().firstValue("Location")).hasValue("/ui/packages/acme_logs/1.2.0-beta1");
        for (String path : List.of("/ui/packages/nothing", "/ui/package/acme_logs/1.1.0", "/ui/packages/acme_logs/1.1.0/extra")) {
            HttpResponse<String> missing = get(open, path, null);
            assertThat(missing.statusCode()).as(path).isEqualTo(404);
            assertThat(missing.headers().firstValue("Content-Type").orElse("")).as(path).startsWith("text/html");
            assertThat(missing.headers().firstValue("Content-Security-Policy")).as(path).hasValue(PackageUi.CSP);
            assertThat(missing.body()).as(path).contains("<h1>Not found</h1>", "<a href=\"/ui/\">All packages</a>");
        }
        assertThat(get(open, "/ui/packages/nothing", null).body()).contains("This registry has no package <bdi>nothing</bdi>.");
        assertThat(get(open, "/ui/nope/%3Cb%3E", null).body()).contains("There is no page at <bdi>/ui/nope/%3Cb%3E</bdi>.").doesNotContain("<b>");
        // The API's own 404 stays Go's, as EPR answers it.
        HttpResponse<String> api = get(open, "/nope", null);
        assertThat(api.statusCode()).isEqualTo(404);
        assertThat(api.body()).isEqualTo("404 page not found\n");
    }

    /**
     * A README's relative screenshots and links name the package's files, where the API serves them: on a page at
     * /ui/packages/… they had named pages of the UI. Absolute and scheme-relative targets are left as they were.
     */
    @Test
    void aReadmesRelativeImagesAndLinksNameThePackagesFiles() throws Exception {
        String page = get(open, "/ui/packages/screens/1.0.0", null).body();
        String readme = page.substring(page.indexOf("<section class=\"readme\""));
        assertThat(readme).contains("src=\"/package/screens/1.0.0/img/overview.png\" alt=\"overview\"",
                "src=\"/package/screens/1.0.0/img/overview.png\" alt=\"overview again\"",
                "href=\"/package/screens/1.0.0/docs/metrics.md\"", "href=\"/package/screens/1.0.0/docs/metrics.md?plain#top\"",
                "href=\"/package/screens/1.0.0/search\"", "href=\"https://example.com/x.png\"", "href=\"#screens\"",
                "src=\"//evil.example/x.png\"").doesNotContain("../");
        HttpResponse<String> image = get(open, "/package/screens/1.0.0/img/overview.png", null);
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.headers().firstValue("Content-Type")).hasValue("image/png");
    }

    @Test
    void aReadmeLargerThanAPageShowsIsNotRead() throws Exception {
        String body = get(open, "/ui/packages/long_readme/1.0.0", null).body();
        assertThat(body).contains("The README is larger than 512 KiB").doesNotContain("All work and no play.");
    }

    @Test
    void aHostilePackagesTitleDescriptionAndReadmeNeverReachThePageAsMarkup() throws Exception {
        String list = get(open, "/ui/?q=hostile", null).body();
        assertThat(list).contains("&lt;script&gt;window.wharfPwned=1&lt;/script&gt;Hostile", "&lt;img src=x onerror=window.wharfPwned=1&gt;")
                .doesNotContain("<script").doesNotContain("<img");
        String page = get(open, "/ui/packages/hostile_pkg/1.0.0", null).body();
        assertThat(page).doesNotContain("<script").contains("<title>hostile_pkg 1.0.0 · Wharf package registry</title>");
        String readme = page.substring(page.indexOf("<section class=\"readme\""));
        assertThat(readme).contains("Harmless text before the attack.", "<img", "another")
                .doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("onerror").doesNotContainIgnoringCase("onclick")
                .doesNotContain("javascript:").doesNotContain("wharfPwned");
    }

    @Test
    void theHealthPageShowsTheLastRefreshTheLastFullReadAndWhatWasLeftOutAndWhy() throws Exception {
        HttpResponse<String> page = get(open, "/ui/health", null);
        assertThat(page.statusCode()).isEqualTo(200);
        String body = page.body();
        int served = packages.indexer.packages().size();
        assertThat(body).contains("<h1>Index health</h1>", "<dt>Status</dt><dd>healthy</dd>", "<dt>Source</dt><dd>filesystem</dd>",
                "<dt>Packages</dt><dd>" + served + "</dd>", "<dt>Last refresh</dt><dd>20", "<dt>Last full verification</dt><dd>20",
                "1 left out by the last refresh", "<td>broken_pkg/1.0.0</td><td>no readme file found, README.md is required</td>")
                // Like /health on this address: no path of the server's disk.
                .doesNotContain(packages.root.toString());
    }

    /**
     * Every page names its encoding in its Content-Type: the sign-in form, the 404 pages and the health page had said
     * a bare text/html, leaving a browser to guess before it reached the meta tag.
     */
    @Test
    void everyPageSaysItIsUtf8() throws Exception {
        Map<String, HttpResponse<String>> pages = new java.util.LinkedHashMap<>();
        pages.put("packages", get(open, "/ui/", null));
        pages.put("health", get(open, "/ui/health", null));
        pages.put("404", get(open, "/ui/nope", null));
        pages.put("no such package", get(open, "/ui/packages/acme_logs/9.9.9", null));
        pages.put("sign-in form", get(guarded, "/ui/sign-in?next=/ui/", null));
        pages.put("refused token", post(guarded, "/ui/sign-in", "token=nope&next=/ui/"));
        pages.forEach((page, answer) -> assertThat(answer.headers().firstValue("Content-Type").orElse("")).as(page)
                .startsWith("text/html").containsIgnoringCase("charset=utf-8"));
    }

    /**
     * Every /ui/ path answers an OPTIONS alike, with one Cache-Control header: /ui/sign-out (and every other page)
     * had fallen through to the API's 404, which wrote two Cache-Control headers after the UI's own.
     */
    @Test
    void everyUiPathAnswersOptionsAndOtherMethodsAlikeWithOneCacheControl() throws Exception {
        for (URI base : List.of(open, guarded)) {
            for (String path : List.of("/ui/sign-out", "/ui/sign-in", "/ui/", "/ui/health", "/ui/packages/acme_logs/1.1.0", "/ui/nope")) {
                boolean form = path.startsWith("/ui/sign-");
                HttpResponse<String> options = HTTP.send(HttpRequest.newBuilder(base.resolve(path)).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(options.headers().allValues("Cache-Control")).as(path).hasSize(1);
                assertThat(options.statusCode()).as(path).isEqualTo(204);
                assertThat(options.headers().firstValue("Allow")).as(path).hasValue(form ? "GET, HEAD, POST, OPTIONS" : "GET, HEAD, OPTIONS");
                assertThat(options.headers().firstValue("Access-Control-Allow-Origin")).as(path).isEmpty();
                assertThat(options.body()).as(path).isEmpty();
                HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(base.resolve(path)).PUT(HttpRequest.BodyPublishers.ofString("x"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(put.headers().allValues("Cache-Control")).as(path).hasSize(1);
                assertThat(put.statusCode()).as(path).isEqualTo(405);
                assertThat(put.headers().firstValue("Content-Type").orElse("")).as(path).startsWith("text/html");
                assertThat(put.body()).as(path).contains("<h1>Method not allowed</h1>", "not asked for with PUT");
            }
            HttpResponse<String> post = post(base, "/ui/health", "");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().allValues("Cache-Control")).hasSize(1);
        }
    }

    /** The table row of one package on the packages page. */
    private static String row(String body, String name) {
        int start = body.indexOf("<tr><td><a href=\"/ui/packages/" + name + "/");
        assertThat(start).as(name + " is listed").isPositive();
        return body.substring(start, body.indexOf("</tr>", start));
    }

    /** The package names a packages page lists, in order. */
    static List<String> names(String body) {
        return java.util.regex.Pattern.compile("<tr><td><a href=\"/ui/packages/([^/]+)/").matcher(body).results().map(m -> m.group(1)).toList();
    }
}
