package dev.wharf.epr.ui;

import static dev.wharf.epr.ui.ServedPackageUi.HTTP;
import static dev.wharf.epr.ui.ServedPackageUi.get;
import static dev.wharf.epr.ui.ServedPackageUi.post;
import static dev.wharf.epr.ui.ServedPackageUi.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.http.TlsFiles;
import dev.wharf.testing.CrossSiteForms;
import dev.wharf.testing.TestCertificates;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sign-in that guards every page and asset of package-registry's {@code /ui/} when a tokens file
 * is set: the form, expired and wrong tokens, the session cookie (over TLS too), sign-out, and posts
 * from another site.
 */
class PackageUiSignInTest {
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
}
