package dev.wharf.terraform.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.http.ui.SessionCookie;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.auth.OidcSettings;
import dev.wharf.terraform.auth.OidcVerifier;
import dev.wharf.testing.ManualClock;
import dev.wharf.testing.OidcIssuer;
import dev.wharf.testing.TestPorts;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UI's OIDC sign-in over HTTP, step by step as a browser takes it, against the test issuer's
 * real authorize and token endpoints: what Wharf sends (PKCE S256, state, nonce), the cookies it
 * sets, and each way a sign-in is refused without a session.
 */
class OidcSignInTest {
    static final String CLIENT = "wharf-ui";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    private static UiRegistry registry;
    private static OidcIssuer issuer;
    private static URI wharf;

    @BeforeAll
    static void start() throws Exception {
        registry = new UiRegistry(dir).withCatalog();
        issuer = registry.keep(OidcIssuer.start());
        wharf = registry.serve(oidcAuthentication(issuer));
    }

    static ClientAuthentication oidcAuthentication(OidcIssuer issuer) {
        OidcVerifier verifier = OidcVerifier.connect(new OidcSettings(issuer.issuer(), CLIENT, Optional.empty(), List.of("profile"),
                Optional.empty(), OidcSettings.DEFAULT_KEY_REFRESH_COOLDOWN), HttpClient.newHttpClient(), Clock.systemUTC());
        return new ClientAuthentication(h -> false, false, Optional.of(verifier));
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    @AfterEach
    void honestIssuer() {
        issuer.tamperState(false);
        issuer.wrongNonce(false);
    }

    @Test
    void everyPageAndAssetSendsTheBrowserToTheIssuer() throws Exception {
        Map<String, Integer> signedIn = Map.ofEntries(
                Map.entry("/ui/", 200),
                Map.entry("/ui/?q=vpc", 200),
                Map.entry("/ui/static/ui.css", 200),
                Map.entry("/ui/static/favicon.svg", 200),
                Map.entry("/ui/mirror", 200),
                Map.entry("/ui/modules/acme/vpc/aws", 200),
                Map.entry("/ui/modules/acme/vpc/aws/1.0.0", 200),
                Map.entry("/ui/providers/acme/dummy", 200),
                Map.entry("/ui/modules/acme/nothing/aws", 404));
        for (String path : signedIn.keySet()) {
            HttpResponse<String> refused = get(wharf.resolve(path), null);
            assertThat(refused.statusCode()).as(path).isEqualTo(303);
            assertThat(refused.headers().firstValue("Location")).as(path)
                    .hasValue("/ui/sign-in/oidc?next=" + URLEncoder.encode(path, StandardCharsets.UTF_8).replace("+", "%20"));
            assertThat(refused.body()).as(path).doesNotContain("acme");
            assertThat(get(wharf.resolve(path), "wharf_ui_token=" + issuer.forgedToken("mallory", CLIENT)).statusCode()).as(path).isEqualTo(303);
            assertThat(get(wharf.resolve(path), "wharf_ui_token=" + issuer.token("bob", CLIENT, Duration.ofMinutes(5))).statusCode()).as(path)
                    .isEqualTo(signedIn.get(path));
        }
    }

    @Test
    void aSignInSendsPkceStateAndNonceAndEndsWithAStrictHttpOnlySessionCookie() throws Exception {
        Flow flow = begin("/ui/providers/acme/dummy");
        Map<String, String> asked = flow.authorizeQuery();
        assertThat(asked).containsEntry("response_type", "code").containsEntry("client_id", CLIENT)
                .containsEntry("redirect_uri", wharf.resolve("/ui/sign-in/callback").toString()).containsEntry("code_challenge_method", "S256");
        assertThat(asked.get("scope").split(" ")).containsExactly("openid", "profile");
        assertThat(asked.get("state")).matches("[A-Za-z0-9_-]{43}");
        assertThat(asked.get("nonce")).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(asked.get("state"));
        assertThat(asked.get("code_challenge")).matches("[A-Za-z0-9_-]{43}");
        assertThat(flow.pendingCookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax").contains("Path=/ui/sign-in/")
                .contains("Max-Age=600").doesNotContain(asked.get("code_challenge"));
        // The verifier never leaves the browser before the callback: only its challenge went to the issuer.
        assertThat(flow.authorizeLocation).doesNotContain(flow.pendingValue().split("\\.")[2]);

        HttpResponse<String> callback = flow.callback();
        assertThat(callback.statusCode()).isEqualTo(200);
        String session = cookie(callback, SignIn.COOKIE).orElseThrow();
        assertThat(session).matches("wharf_ui_token=[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+;.*").containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict").contains("Path=/ui/").doesNotContainIgnoringCase("Secure");
        assertThat(cookie(callback, OidcSignIn.PENDING_COOKIE).orElseThrow()).startsWith(OidcSignIn.PENDING_COOKIE + "=;");
        assertThat(callback.body()).contains("<meta http-equiv=\"refresh\" content=\"0; url=/ui/providers/acme/dummy\">");
        String token = session.substring(session.indexOf('=') + 1, session.indexOf(';'));
        HttpResponse<String> page = get(wharf.resolve("/ui/providers/acme/dummy"), "wharf_ui_token=" + token);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>acme/dummy</h1>");
        // The session is the ID token the API itself accepts.
        assertThat(HTTP.send(HttpRequest.newBuilder(wharf.resolve("/v1/providers/acme/dummy/versions")).header("Authorization", "Bearer " + token)
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        // The code is spent and the pending sign-in with it: the same callback again gets nothing.
        HttpResponse<String> replay = flow.callback();
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(cookie(replay, SignIn.COOKIE)).isEmpty();
    }

    @Test
    void anIssuerDownAtStartMakesTheSignInSayItCannotBeUsedAndOfferTheTokenFormUntilItAnswers() throws Exception {
        int port = TestPorts.free();
        ManualClock clock = new ManualClock(Instant.now());
        OidcVerifier verifier = OidcVerifier.connect(new OidcSettings(URI.create("http://127.0.0.1:" + port), CLIENT, Optional.empty(),
                List.of("profile"), Optional.empty(), OidcSettings.DEFAULT_KEY_REFRESH_COOLDOWN), HttpClient.newHttpClient(), clock);
        URI late = registry.serve(new ClientAuthentication(h -> false, false, Optional.of(verifier)));

        HttpResponse<String> page = get(late.resolve("/ui/"), null);
        assertThat(page.headers().firstValue("Location")).hasValue("/ui/sign-in/oidc?next=%2Fui%2F");
        HttpResponse<String> unavailable = get(late.resolve("/ui/sign-in/oidc?next=%2Fui%2F"), null);
        // It had been the UI's OIDC sign-in switched off at start for good, for want of the issuer's endpoints.
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.headers().firstValue("Retry-After")).hasValue("10");
        assertThat(unavailable.body()).contains("Sign-in unavailable", "127.0.0.1:" + port, "cannot be reached",
                "href=\"/ui/sign-in?next=%2Fui%2F\"").doesNotContain("acme");
        assertThat(get(late.resolve("/ui/sign-in?next=%2Fui%2F"), null).body()).contains("<form");

        try (OidcIssuer up = OidcIssuer.start(port)) {
            clock.advance(Duration.ofSeconds(11));
            HttpResponse<String> begun = get(late.resolve("/ui/sign-in/oidc?next=%2Fui%2F"), null);
            assertThat(begun.statusCode()).isEqualTo(303);
            assertThat(begun.headers().firstValue("Location").orElseThrow()).startsWith(up.issuer() + "/authorize?response_type=code");
        }
    }

    @Test
    void aWrongStateIsRefusedBeforeTheCodeIsRedeemed() throws Exception {
        issuer.tamperState(true);
        Flow flow = begin("/ui/");
        HttpResponse<String> callback = flow.callback();
        assertThat(callback.statusCode()).isEqualTo(400);
        assertThat(callback.body()).contains("Sign-in refused", "state").doesNotContain("acme");
        assertThat(cookie(callback, SignIn.COOKIE)).isEmpty();
        // Never redeemed: the honest callback with that code still works.
        issuer.tamperState(false);
        String code = query(URI.create(flow.callbackLocation)).get("code");
        HttpResponse<String> honest = get(wharf.resolve("/ui/sign-in/callback?code=" + code + "&state=" + flow.authorizeQuery().get("state")),
                OidcSignIn.PENDING_COOKIE + "=" + flow.pendingValue());
        assertThat(honest.statusCode()).isEqualTo(200);
        assertThat(cookie(honest, SignIn.COOKIE)).isPresent();
    }

    @Test
    void aCallbackWithoutItsPendingSignInIsRefused() throws Exception {
        Flow flow = begin("/ui/");
        HttpResponse<String> stranger = get(URI.create(flow.callbackLocation), null);
        assertThat(stranger.statusCode()).isEqualTo(400);
        assertThat(stranger.body()).contains("no sign-in was started in this browser");
        assertThat(cookie(stranger, SignIn.COOKIE)).isEmpty();
    }

    @Test
    void aCodeRedeemedWithAnotherVerifierGetsNoSession() throws Exception {
        Flow flow = begin("/ui/");
        PendingLogin sent = PendingLogin.fromCookie(flow.pendingValue()).orElseThrow();
        PendingLogin other = PendingLogin.start("/ui/", new SecureRandom());
        String swapped = new PendingLogin(sent.state(), sent.nonce(), other.verifier(), sent.next()).cookieValue();
        int refusals = issuer.tokenRefusals();
        HttpResponse<String> callback = get(URI.create(flow.callbackLocation), OidcSignIn.PENDING_COOKIE + "=" + swapped);
        assertThat(callback.statusCode()).isEqualTo(400);
        assertThat(callback.body()).contains("invalid_grant");
        assertThat(cookie(callback, SignIn.COOKIE)).isEmpty();
        assertThat(issuer.tokenRefusals()).isEqualTo(refusals + 1);
    }

    @Test
    void anIdTokenWithAnotherNonceGetsNoSession() throws Exception {
        issuer.wrongNonce(true);
        HttpResponse<String> callback = begin("/ui/").callback();
        assertThat(callback.statusCode()).isEqualTo(400);
        assertThat(callback.body()).contains("nonce");
        assertThat(cookie(callback, SignIn.COOKIE)).isEmpty();
    }

    @Test
    void nextNeverLeadsAwayFromThisUi() throws Exception {
        for (String next : List.of("https://evil.example/", "//evil.example/", "/v1/modules")) {
            HttpResponse<String> callback = begin(next).callback();
            assertThat(callback.body()).as(next).contains("url=/ui/\"");
        }
    }

    /**
     * Over TLS the pending sign-in is Secure and named __Secure-wharf_ui_login, as the session cookie is: a page on
     * plain http for the host cannot plant a pending sign-in of its own (one it began, to finish into its account).
     * Only that name finishes a sign-in there; the callback clears that name.
     */
    @Test
    void overTlsThePendingSignInIsNamedSecureAndOnlyThatNameFinishesIt() throws Exception {
        dev.wharf.testing.TestCertificates.SelfSigned certificate = dev.wharf.testing.TestCertificates.localhost();
        Path cert = certificate.writePem(dir.resolve("tls"));
        URI tls = registry.serve(oidcAuthentication(issuer), dev.wharf.http.TlsFiles.of(cert, cert.resolveSibling("key.pem"), null));
        HttpClient browser = HttpClient.newBuilder().sslContext(certificate.trustingContext()).build();
        String secure = SessionCookie.SECURE_PREFIX + OidcSignIn.PENDING_COOKIE;

        HttpResponse<String> start = browser.send(HttpRequest.newBuilder(tls.resolve("/ui/sign-in/oidc?next=%2Fui%2F")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(start.statusCode()).isEqualTo(303);
        String pending = start.headers().allValues("Set-Cookie").stream().filter(c -> c.contains(OidcSignIn.PENDING_COOKIE + "="))
                .findFirst().orElseThrow();
        assertThat(pending).startsWith(secure + "=").containsIgnoringCase("; Secure").containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Lax").contains("Path=/ui/sign-in/").contains("Max-Age=600");
        String value = pending.substring(pending.indexOf('=') + 1, pending.indexOf(';'));
        String callback = issuer.approveWithoutBrowser(start.headers().firstValue("Location").orElseThrow());

        // The plain name, which plain http could have set, starts nothing here.
        HttpResponse<String> planted = browser.send(HttpRequest.newBuilder(URI.create(callback))
                .header("Cookie", OidcSignIn.PENDING_COOKIE + "=" + value).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(planted.statusCode()).isEqualTo(400);
        assertThat(planted.body()).contains("no sign-in was started in this browser");

        // Never redeemed by the refused callback: the browser's own pending sign-in still finishes with that code.
        HttpResponse<String> finished = browser.send(HttpRequest.newBuilder(URI.create(callback)).header("Cookie", secure + "=" + value).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(finished.statusCode()).as(finished.body()).isEqualTo(200);
        assertThat(cookie(finished, SessionCookie.SECURE_PREFIX + SignIn.COOKIE)).isPresent();
        assertThat(cookie(finished, secure).orElseThrow()).startsWith(secure + "=;").containsIgnoringCase("; Secure")
                .contains("Path=/ui/sign-in/");
        assertThat(cookie(finished, OidcSignIn.PENDING_COOKIE)).isEmpty();
    }

    /** One sign-in begun at Wharf and sent on by the issuer's /authorize, up to the callback. */
    private record Flow(String pendingCookie, String authorizeLocation, String callbackLocation) {
        String pendingValue() {
            return pendingCookie.substring(pendingCookie.indexOf('=') + 1, pendingCookie.indexOf(';'));
        }

        Map<String, String> authorizeQuery() {
            return query(URI.create(authorizeLocation));
        }

        HttpResponse<String> callback() throws Exception {
            return get(URI.create(callbackLocation), OidcSignIn.PENDING_COOKIE + "=" + pendingValue());
        }
    }

    private static Flow begin(String next) throws Exception {
        HttpResponse<String> start = get(wharf.resolve("/ui/sign-in/oidc?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)), null);
        assertThat(start.statusCode()).isEqualTo(303);
        String authorize = start.headers().firstValue("Location").orElseThrow();
        assertThat(authorize).startsWith(issuer.issuer() + "/authorize?");
        return new Flow(cookie(start, OidcSignIn.PENDING_COOKIE).orElseThrow(), authorize, issuer.approveWithoutBrowser(authorize));
    }

    private static Optional<String> cookie(HttpResponse<String> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst();
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> values = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static HttpResponse<String> get(URI uri, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
