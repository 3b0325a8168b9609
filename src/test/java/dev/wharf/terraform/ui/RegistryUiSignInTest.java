package dev.wharf.terraform.ui;

import static dev.wharf.terraform.ui.CatalogUi.HTTP;
import static dev.wharf.terraform.ui.CatalogUi.TOKEN;
import static dev.wharf.terraform.ui.CatalogUi.get;
import static dev.wharf.terraform.ui.CatalogUi.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.CrossSiteForms;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
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
 * The sign-in that guards every page and asset of {@code /ui/} when the API wants a token, on a real
 * docker-registry: the form, the session cookie (over TLS too), sign-out, and posts from another site.
 */
class RegistryUiSignInTest {
    @TempDir
    static Path dir;
    private static CatalogUi ui;
    private static UiRegistry registry;
    private static URI open;
    private static URI guarded;

    @BeforeAll
    static void start() throws Exception {
        ui = new CatalogUi(dir);
        registry = ui.registry;
        open = ui.open;
        guarded = ui.guarded;
    }

    @AfterAll
    static void stop() throws Exception {
        ui.close();
    }

    @Test
    void withAStaticTokenEveryPageAndAssetWantsSignInFirst() throws Exception {
        Map<String, Integer> signedIn = Map.ofEntries(
                Map.entry("/ui/", 200),
                Map.entry("/ui/?q=vpc", 200),
                Map.entry("/ui/static/ui.css", 200),
                Map.entry("/ui/static/favicon.svg", 200),
                Map.entry("/ui/mirror", 200),
                Map.entry("/ui/modules/acme/vpc/aws", 200),
                Map.entry("/ui/modules/acme/vpc/aws/1.0.0", 200),
                Map.entry("/ui/modules/evil/readme/aws", 200),
                Map.entry("/ui/providers/acme/dummy", 200),
                Map.entry("/ui/modules/acme/nothing/aws", 404),
                Map.entry("/ui/nope", 404));
        for (String path : signedIn.keySet()) {
            HttpResponse<String> refused = get(guarded, path, null);
            assertThat(refused.statusCode()).as(path).isEqualTo(303);
            assertThat(refused.headers().firstValue("Location")).as(path)
                    .hasValue("/ui/sign-in?next=" + URLEncoder.encode(path, StandardCharsets.UTF_8).replace("+", "%20"));
            assertThat(refused.body()).as(path).doesNotContain("acme");
            assertThat(get(guarded, path, "wharf_ui_token=wrong").statusCode()).as(path).isEqualTo(303);
            // A cookie no sign-in wrote, that does not even decode, is no sign-in either (twice: the router, then a ready answer's check).
            assertThat(get(guarded, path, "wharf_ui_token=%zz").statusCode()).as(path).isEqualTo(303);
            assertThat(get(guarded, path, "wharf_ui_token=%").statusCode()).as(path).isEqualTo(303);
            assertThat(get(guarded, path, "wharf_ui_token=" + TOKEN).statusCode()).as(path).isEqualTo(signedIn.get(path));
        }
        HttpResponse<String> form = get(guarded, "/ui/sign-in?next=/ui/providers/acme/dummy", null);
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("<label for=\"token\">", "type=\"password\"", "value=\"/ui/providers/acme/dummy\"")
                .doesNotContain("stylesheet").doesNotContain("acme/vpc");

        HttpResponse<String> wrong = post(guarded, "/ui/sign-in", "token=nope&next=/ui/");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("That token is not accepted here", "<form").doesNotContain("nope");
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> right = post(guarded, "/ui/sign-in", "token=" + TOKEN + "&next=/ui/providers/acme/dummy");
        assertThat(right.statusCode()).isEqualTo(303);
        assertThat(right.headers().firstValue("Location")).hasValue("/ui/providers/acme/dummy");
        String cookie = right.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("wharf_ui_token=" + TOKEN).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict")
                .contains("Path=/ui/").doesNotContainIgnoringCase("Secure;").doesNotEndWithIgnoringCase("Secure");

        // Only this UI's own paths are followed after sign-in.
        for (String next : List.of("//evil.example/", "https://evil.example/", "/v1/modules", "/ui/\\evil")) {
            HttpResponse<String> away = post(guarded, "/ui/sign-in", "token=" + TOKEN + "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
            assertThat(away.headers().firstValue("Location")).as(next).hasValue("/ui/");
        }
        HttpResponse<String> out = post(guarded, "/ui/sign-out", "");
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("wharf_ui_token=;").contains("Expires=Thu, 01 Jan 1970");
    }

    @Test
    void signInAndSignOutPostsFromAnotherSiteAreRefusedAndThisUisOwnWork() throws Exception {
        CrossSiteForms forms = new CrossSiteForms(HTTP, guarded, SignIn.COOKIE, TOKEN);
        forms.anotherSitesPostsAreRefused();
        forms.ownPostsWork();
    }

    @Test
    void withoutAuthenticationThePagesAreOpenAndSignInLeadsHome() throws Exception {
        assertThat(get(open, "/ui/providers/acme/dummy", null).statusCode()).isEqualTo(200);
        HttpResponse<String> signIn = get(open, "/ui/sign-in", null);
        assertThat(signIn.statusCode()).isEqualTo(303);
        assertThat(signIn.headers().firstValue("Location")).hasValue("/ui/");
    }

    /**
     * Over TLS the session cookie is Secure and named __Secure-wharf_ui_token, a name no page on plain http may set,
     * and only that name signs in there (pages kept in memory included); sign-out clears that name.
     */
    @Test
    void overTlsTheSessionCookieIsNamedSecureAndOnlyThatNameSignsIn() throws Exception {
        dev.wharf.testing.TestCertificates.SelfSigned certificate = dev.wharf.testing.TestCertificates.localhost();
        Path cert = certificate.writePem(dir.resolve("tls"));
        URI tls = registry.serve(CatalogUi.tokenAuthentication(),
                dev.wharf.http.TlsFiles.of(cert, cert.resolveSibling("key.pem"), null));
        HttpClient trusting = HttpClient.newBuilder().sslContext(certificate.trustingContext()).build();
        HttpResponse<String> right = trusting.send(HttpRequest.newBuilder(tls.resolve("/ui/sign-in"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN + "&next=/ui/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(right.statusCode()).isEqualTo(303);
        String secure = "__Secure-" + SignIn.COOKIE;
        assertThat(right.headers().firstValue("Set-Cookie").orElseThrow()).startsWith(secure + "=" + TOKEN + ";")
                .containsIgnoringCase("Secure").containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/ui/");
        for (int i = 0; i < 2; i++) {
            // The second is answered from memory, which reads the same name.
            assertThat(send(trusting, tls, "/ui/", secure + "=" + TOKEN).statusCode()).isEqualTo(200);
            assertThat(send(trusting, tls, "/ui/", SignIn.COOKIE + "=" + TOKEN).statusCode()).isEqualTo(303);
        }
        CrossSiteForms forms = new CrossSiteForms(trusting, tls, secure, TOKEN);
        forms.ownPostsWork();
    }

    private static HttpResponse<String> send(HttpClient client, URI base, String path, String cookie) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
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
