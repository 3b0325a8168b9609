package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.cli.boring.ServerCommand;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * boring-registry's UI on plain http behind a TLS-terminating proxy it trusts ({@code --http-trust-forwarded}; the test
 * writes the proxy's X-Forwarded-Proto: https itself): the sign-in form sets the __Secure- session cookie, Secure; pages
 * asked through the proxy see that session, the repeat answered from memory too, and not the plain name; sign-out clears
 * that same __Secure- name, Secure as a browser wants it to replace the cookie. Asked over plain http, the plain name.
 */
class UiSessionBehindATlsProxyTest {
    private static final String TOKEN = "the-right-token";
    private static final String SECURE = "__Secure-wharf_ui_token";
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @TempDir
    Path dir;

    @Test
    void signInPagesAndSignOutUseTheSecureNameOverTheProxysHttps() throws Exception {
        InProcessRegistry.uploadExampleModule(dir.resolve("data"));
        try (ServerCommand.Running server = InProcessRegistry.start(dir.resolve("data"), Map.of(),
                "--auth-static-token", TOKEN, "--http-trust-forwarded", "--http-trusted-proxies", "127.0.0.1")) {
            URI base = server.registry().localUri();
            HttpResponse<String> signedIn = post(base, "https", "/ui/sign-in", "token=" + TOKEN + "&next=%2Fui%2F");
            assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
            assertThat(signedIn.headers().allValues("Set-Cookie")).singleElement().asString().startsWith(SECURE + "=" + TOKEN + ";")
                    .contains("Path=/ui/").containsIgnoringCase("; Secure").containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict");
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> page = get(base, "https", "/ui/", SECURE + "=" + TOKEN);
                assertThat(page.statusCode()).as("page %d over the proxy's https", i).isEqualTo(200);
                assertThat(page.body()).contains("Sign out");
                assertThat(get(base, "https", "/ui/", "wharf_ui_token=" + TOKEN).statusCode()).isEqualTo(303);
            }
            HttpResponse<String> signedOut = post(base, "https", "/ui/sign-out", "");
            assertThat(signedOut.statusCode()).isEqualTo(303);
            assertThat(signedOut.headers().allValues("Set-Cookie")).singleElement().asString().startsWith(SECURE + "=;")
                    .contains("Path=/ui/").containsIgnoringCase("; Secure").contains("Expires=Thu, 01 Jan 1970");

            HttpResponse<String> plain = post(base, "http", "/ui/sign-in", "token=" + TOKEN + "&next=%2Fui%2F");
            assertThat(plain.headers().allValues("Set-Cookie")).singleElement().asString().startsWith("wharf_ui_token=" + TOKEN + ";")
                    .doesNotContainIgnoringCase("secure");
            assertThat(post(base, "http", "/ui/sign-out", "").headers().allValues("Set-Cookie")).singleElement().asString()
                    .startsWith("wharf_ui_token=;");
        }
    }

    private static HttpResponse<String> get(URI base, String proto, String path, String cookie) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).header("X-Forwarded-Proto", proto).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A form post from this UI's own page, as the browser says with Sec-Fetch-Site. */
    private static HttpResponse<String> post(URI base, String proto, String path, String form) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).header("X-Forwarded-Proto", proto).header("Sec-Fetch-Site", "same-origin")
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
