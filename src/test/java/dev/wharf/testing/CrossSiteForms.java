package dev.wharf.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The sign-in and sign-out posts of a UI, sent the way a browser sends them from this UI's own page
 * and from another site's (login CSRF, forced sign-out): only the first may set or clear the cookie.
 * Both registries' UIs answer to the same rule ({@code dev.wharf.http.ui.SameOriginPosts}).
 */
public final class CrossSiteForms {
    private final HttpClient http;
    private final URI base;
    private final String cookie;
    private final String token;

    /** @param base the UI's server, as {@code http://127.0.0.1:PORT} or {@code https://…}; {@code cookie}: the session cookie's name */
    public CrossSiteForms(HttpClient http, URI base, String cookie, String token) {
        this.http = http;
        this.base = base;
        this.cookie = cookie;
        this.token = token;
    }

    /** Every post another site's page could send is refused with a 403 page that says why, and sets no cookie. */
    public void anotherSitesPostsAreRefused() throws Exception {
        String own = base.getScheme() + "://" + base.getAuthority();
        String otherScheme = (base.getScheme().equals("https") ? "http" : "https") + "://" + base.getAuthority();
        List<Map<String, String>> foreign = List.of(Map.of("Sec-Fetch-Site", "cross-site"), Map.of("Sec-Fetch-Site", "same-site"),
                // Sec-Fetch-Site decides when present, whatever Origin says.
                Map.of("Sec-Fetch-Site", "cross-site", "Origin", own),
                Map.of("Origin", "http://evil.example"), Map.of("Origin", "null"), Map.of("Origin", otherScheme),
                Map.of("Origin", base.getScheme() + "://" + base.getHost() + ":" + (base.getPort() + 1)),
                Map.of("Origin", base.getScheme() + "://localhost:" + base.getPort()), Map.of("Origin", own + "/ui/"));
        for (Map<String, String> headers : foreign) {
            for (String path : List.of("/ui/sign-in", "/ui/sign-out")) {
                HttpResponse<String> refused = post(base, path, headers);
                assertThat(refused.statusCode()).as(path + " " + headers).isEqualTo(403);
                assertThat(refused.headers().firstValue("Set-Cookie")).as(path + " " + headers).isEmpty();
                assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
                assertThat(refused.body()).as(path + " " + headers).contains("<h1>Refused</h1>", "sent from another site", "Nothing changed");
            }
        }
    }

    /** This UI's own page (as the browser says, or as the Origin shows), and a client that says nothing, sign in and out. */
    public void ownPostsWork() throws Exception {
        String own = base.getScheme() + "://" + base.getAuthority();
        List<Map<String, String>> ownHeaders = List.of(Map.of("Sec-Fetch-Site", "same-origin"), Map.of("Sec-Fetch-Site", "none"),
                Map.of("Sec-Fetch-Site", "same-origin", "Origin", "http://evil.example"),
                Map.of("Origin", own), Map.of("Origin", own.toUpperCase(java.util.Locale.ROOT)), Map.of());
        for (Map<String, String> headers : ownHeaders) {
            HttpResponse<String> in = post(base, "/ui/sign-in", headers);
            assertThat(in.statusCode()).as(headers.toString()).isEqualTo(303);
            assertThat(in.headers().firstValue("Set-Cookie").orElseThrow()).as(headers.toString()).startsWith(cookie + "=" + token);
            HttpResponse<String> out = post(base, "/ui/sign-out", headers);
            assertThat(out.statusCode()).as(headers.toString()).isEqualTo(303);
            assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).as(headers.toString()).startsWith(cookie + "=;");
        }
        if (base.getHost().equals("127.0.0.1")) {
            // The origin is the one the request was addressed to: asked as localhost, localhost's page is this UI's own.
            URI local = URI.create(base.getScheme() + "://localhost:" + base.getPort());
            assertThat(post(local, "/ui/sign-in", Map.of("Origin", local.toString())).statusCode()).isEqualTo(303);
            assertThat(post(local, "/ui/sign-in", Map.of("Origin", own)).statusCode()).isEqualTo(403);
        }
    }

    private HttpResponse<String> post(URI server, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("next=%2Fui%2F&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
