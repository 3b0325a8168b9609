package dev.wharf.epr.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.wharf.http.TlsFiles;
import dev.wharf.testing.CrossSiteForms;
import dev.wharf.testing.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * package-registry's {@code /ui/} over HTTP, on the real API and file-system indexer: what each page
 * shows, the escaping of a hostile package's title, description and README, the headers that keep
 * scripts out, and the sign-in that guards every page and asset when a tokens file is set.
 */
class PackageUiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    private static UiPackages packages;
    private static URI open;
    private static URI guarded;

    @BeforeAll
    static void start() throws Exception {
        packages = new UiPackages(dir);
        open = packages.serve(false);
        guarded = packages.serve(true);
    }

    @AfterAll
    static void stop() {
        packages.close();
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

    @Test
    void withATokensFileEveryPageAndAssetWantsSignInFirst() throws Exception {
        Map<String, Integer> signedIn = Map.ofEntries(
                Map.entry("/ui/", 200),
                Map.entry("/ui/?q=acme", 200),
                Map.entry("/ui/health", 200),
                Map.entry("/ui/static/ui.css", 200),
                Map.entry("/ui/static/favicon.svg", 200),
                Map.entry("/ui/packages/acme_logs/1.1.0", 200),
                Map.entry("/ui/packages/hostile_pkg/1.0.0", 200),
                Map.entry("/ui/packages/nothing/1.0.0", 404),
                Map.entry("/ui/packages/acme_logs", 302),
                Map.entry("/ui/nope", 404));
        for (String path : signedIn.keySet()) {
            HttpResponse<String> refused = get(guarded, path, null);
            assertThat(refused.statusCode()).as(path).isEqualTo(303);
            assertThat(refused.headers().firstValue("Location")).as(path)
                    .hasValue("/ui/sign-in?next=" + URLEncoder.encode(path, StandardCharsets.UTF_8).replace("+", "%20"));
            assertThat(refused.body()).as(path).doesNotContain("acme");
            assertThat(get(guarded, path, UiSignIn.COOKIE + "=wrong").statusCode()).as(path).isEqualTo(303);
            assertThat(get(guarded, path, UiSignIn.COOKIE + "=%zz").statusCode()).as(path).isEqualTo(303);
            assertThat(get(guarded, path, UiSignIn.COOKIE + "=%").statusCode()).as(path).isEqualTo(303);
            assertThat(get(guarded, path, UiSignIn.COOKIE + "=" + UiPackages.EXPIRED_TOKEN).statusCode()).as(path).isEqualTo(303);
            assertThat(get(guarded, path, UiSignIn.COOKIE + "=" + UiPackages.TOKEN).statusCode()).as(path).isEqualTo(signedIn.get(path));
        }
        // The API stays as EPR has it: anonymous.
        assertThat(get(guarded, "/search", null).statusCode()).isEqualTo(200);

        HttpResponse<String> form = get(guarded, "/ui/sign-in?next=/ui/health", null);
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("<label for=\"token\">", "type=\"password\"", "value=\"/ui/health\"")
                .doesNotContain("stylesheet").doesNotContain("acme");

        HttpResponse<String> wrong = post(guarded, "/ui/sign-in", "token=nope&next=/ui/");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("That token is not accepted here", "<form").doesNotContain("nope");
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
        HttpResponse<String> expired = post(guarded, "/ui/sign-in", "token=" + UiPackages.EXPIRED_TOKEN + "&next=/ui/");
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.body()).contains("That token has expired");
        assertThat(expired.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> right = post(guarded, "/ui/sign-in", "token=" + UiPackages.TOKEN + "&next=/ui/health");
        assertThat(right.statusCode()).isEqualTo(303);
        assertThat(right.headers().firstValue("Location")).hasValue("/ui/health");
        String cookie = right.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith(UiSignIn.COOKIE + "=" + UiPackages.TOKEN).containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict").contains("Path=/ui/").doesNotContainIgnoringCase("Secure;")
                .doesNotEndWithIgnoringCase("Secure");
        assertThat(get(guarded, "/ui/health", cookie.substring(0, cookie.indexOf(';'))).body()).contains("<h1>Index health</h1>", "Sign out");

        // Only this UI's own paths are followed after sign-in.
        for (String next : List.of("//evil.example/", "https://evil.example/", "/search", "/ui/\\evil")) {
            HttpResponse<String> away = post(guarded, "/ui/sign-in", "token=" + UiPackages.TOKEN + "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
            assertThat(away.headers().firstValue("Location")).as(next).hasValue("/ui/");
        }
        HttpResponse<String> out = post(guarded, "/ui/sign-out", "");
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).startsWith(UiSignIn.COOKIE + "=;").contains("Expires=Thu, 01 Jan 1970");
    }

    @Test
    void signInAndSignOutPostsFromAnotherSiteAreRefusedAndThisUisOwnWork() throws Exception {
        CrossSiteForms forms = new CrossSiteForms(HTTP, guarded, UiSignIn.COOKIE, UiPackages.TOKEN);
        forms.anotherSitesPostsAreRefused();
        forms.ownPostsWork();
    }

    @Test
    void overTlsTheSignInCookieIsSecureToo() throws Exception {
        TestCertificates.SelfSigned certificate = TestCertificates.localhost();
        Path cert = certificate.writePem(dir.resolve("tls"));
        URI tls = packages.serve(packages.indexer, Optional.of(packages.tokensFile()),
                TlsFiles.of(cert, cert.resolveSibling("key.pem"), null));
        assertThat(tls.getScheme()).isEqualTo("https");
        HttpClient trusting = HttpClient.newBuilder().sslContext(certificate.trustingContext()).build();
        HttpResponse<String> right = trusting.send(HttpRequest.newBuilder(tls.resolve("/ui/sign-in"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + UiPackages.TOKEN + "&next=/ui/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(right.statusCode()).isEqualTo(303);
        // Named with the __Secure- prefix, which no page on plain http may set: read under that name alone over TLS.
        String secure = "__Secure-" + UiSignIn.COOKIE;
        assertThat(right.headers().firstValue("Set-Cookie").orElseThrow()).startsWith(secure + "=" + UiPackages.TOKEN + ";")
                .containsIgnoringCase("Secure").containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/ui/");
        for (int i = 0; i < 2; i++) {
            // The second is answered from memory, which reads the same name.
            assertThat(send(trusting, tls, "/ui/", secure + "=" + UiPackages.TOKEN).statusCode()).isEqualTo(200);
            assertThat(send(trusting, tls, "/ui/", UiSignIn.COOKIE + "=" + UiPackages.TOKEN).statusCode()).isEqualTo(303);
        }
        assertThat(send(trusting, tls, "/ui/health", UiSignIn.COOKIE + "=" + UiPackages.TOKEN).statusCode()).isEqualTo(303);
        // Over TLS this UI's own origin is https://, and a page of the same host and port over plain http is another site.
        CrossSiteForms forms = new CrossSiteForms(trusting, tls, secure, UiPackages.TOKEN);
        forms.anotherSitesPostsAreRefused();
        forms.ownPostsWork();
        HttpResponse<String> refused = trusting.send(HttpRequest.newBuilder(tls.resolve("/ui/static/ui.css")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(303);
    }

    @Test
    void withoutATokensFileThePagesAreOpenAndSignInLeadsHome() throws Exception {
        assertThat(get(open, "/ui/health", null).statusCode()).isEqualTo(200);
        assertThat(get(open, "/ui/static/ui.css", null).headers().firstValue("Content-Type").orElse("")).startsWith("text/css");
        assertThat(get(open, "/ui/", null).body()).doesNotContain("Sign out");
        HttpResponse<String> signIn = get(open, "/ui/sign-in", null);
        assertThat(signIn.statusCode()).isEqualTo(303);
        assertThat(signIn.headers().firstValue("Location")).hasValue("/ui/");
        assertThat(post(open, "/ui/sign-in", "token=x").headers().firstValue("Set-Cookie")).isEmpty();
        HttpResponse<String> bare = get(open, "/ui", null);
        assertThat(bare.statusCode()).isEqualTo(301);
        assertThat(bare.headers().firstValue("Location")).hasValue("/ui/");
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

    static HttpResponse<String> send(HttpClient client, URI base, String path, String cookie) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
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

    static HttpResponse<String> get(URI base, String path, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A sign-in form in a charset the server does not know is refused as such, not answered with an internal error. */
    @Test
    void aSignInFormInAnUnknownCharsetIsRefusedWith415() throws Exception {
        for (String charset : List.of("bogus", "\"not a name!\"")) {
            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(guarded.resolve("/ui/sign-in"))
                    .header("Content-Type", "application/x-www-form-urlencoded; charset=" + charset)
                    .POST(HttpRequest.BodyPublishers.ofString("token=nope&next=/ui/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(charset + ": " + refused.body()).isEqualTo(415);
            assertThat(refused.body()).contains("character set this registry cannot read").doesNotContain("internal error");
            assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
        }
        HttpResponse<String> latin1 = HTTP.send(HttpRequest.newBuilder(guarded.resolve("/ui/sign-in"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=ISO-8859-1")
                .POST(HttpRequest.BodyPublishers.ofString("token=nope&next=/ui/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(latin1.statusCode()).isEqualTo(401);
    }

    static HttpResponse<String> post(URI base, String path, String form) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
