package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.testing.ManualClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * boring-registry past 30 failed credential checks a minute from one client (the default of
 * {@code --auth-max-failures}): that client's requests with credentials get 429 with
 * {@code Retry-After}, unchecked (its right token too, a ready answer included, on every guarded
 * route), until the minute is over; other clients, requests without credentials and discovery go on.
 * Behind a trusted proxy the client is the one X-Forwarded-For names.
 */
class CredentialThrottleTest {
    private static final String TOKEN = "the-right-token";
    private static final String VERSIONS = "/v1/modules/example/hello/null/versions";
    private static final String GUESSER = "198.51.100.1";
    private static final String NEIGHBOUR = "198.51.100.2";
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    @BeforeEach
    void upload() {
        InProcessRegistry.uploadExampleModule(dir.resolve("data"));
    }

    @Test
    void thirtyWrongTokensFromOneClientThrottleItsCredentialsUntilTheMinuteIsOver() throws Exception {
        try (ServerCommand.Running server = InProcessRegistry.start(dir.resolve("data"), clock, Map.of(),
                "--auth-static-token", TOKEN, "--http-trusted-proxies", "127.0.0.1")) {
            URI base = server.registry().localUri();
            // Twice, so that the second is a ready answer: the throttle must stop those too.
            assertThat(get(base, VERSIONS, GUESSER, "Bearer " + TOKEN).statusCode()).isEqualTo(200);
            assertThat(get(base, VERSIONS, GUESSER, "Bearer " + TOKEN).statusCode()).isEqualTo(200);
            for (int i = 0; i < 30; i++) {
                // Successes in between reset nothing.
                assertThat(get(base, VERSIONS, GUESSER, "Bearer " + TOKEN).statusCode()).isEqualTo(200);
                assertThat(get(base, VERSIONS, GUESSER, "Bearer guess-" + i).statusCode()).isEqualTo(401);
            }
            clock.advance(Duration.ofSeconds(20));

            HttpResponse<String> throttled = get(base, VERSIONS, GUESSER, "Bearer guess-30");
            assertThat(throttled.statusCode()).isEqualTo(429);
            assertThat(throttled.headers().firstValue("Retry-After")).contains("40");
            assertThat(throttled.body()).contains("too many failed credential checks").doesNotContain("guess");
            assertThat(get(base, VERSIONS, GUESSER, "Bearer " + TOKEN).statusCode()).isEqualTo(429);
            assertThat(get(base, "/v1/providers/example/null/versions", GUESSER, "Bearer " + TOKEN).statusCode()).isEqualTo(429);
            assertThat(send(base, HttpRequest.newBuilder(base.resolve("/api/v1/modules/example/hello/null/9.9.9"))
                    .PUT(HttpRequest.BodyPublishers.ofString("x")), GUESSER, "Bearer " + TOKEN).statusCode()).isEqualTo(429);
            // The UI's credentials: its session cookie and its sign-in form.
            assertThat(send(base, HttpRequest.newBuilder(base.resolve("/ui/")).header("Cookie", "wharf_ui_token=" + TOKEN), GUESSER, null)
                    .statusCode()).isEqualTo(429);
            assertThat(send(base, HttpRequest.newBuilder(base.resolve("/ui/sign-in")).header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Origin", base.toString().replaceAll("/$", ""))
                    .POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN + "&next=%2Fui%2F")), GUESSER, null).statusCode()).isEqualTo(429);

            // Not a guess, not blocked: no credential, an open route, another client.
            assertThat(get(base, VERSIONS, GUESSER, null).statusCode()).isEqualTo(401);
            assertThat(get(base, "/.well-known/terraform.json", GUESSER, "Bearer " + TOKEN).statusCode()).isEqualTo(200);
            assertThat(get(base, VERSIONS, NEIGHBOUR, "Bearer " + TOKEN).statusCode()).isEqualTo(200);
            assertThat(get(base, VERSIONS, NEIGHBOUR, "Bearer wrong").statusCode()).isEqualTo(401);

            String metrics = HTTP.send(HttpRequest.newBuilder(server.telemetry().localUri().resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("wharf_auth_throttled_total 6.0");

            clock.advance(Duration.ofSeconds(40));
            assertThat(get(base, VERSIONS, GUESSER, "Bearer " + TOKEN).statusCode()).isEqualTo(200);
            assertThat(get(base, VERSIONS, GUESSER, "Bearer wrong-again").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aRefusedSessionCookieCountsAndZeroTurnsTheThrottleOff() throws Exception {
        try (ServerCommand.Running server = InProcessRegistry.start(dir.resolve("data"), clock, Map.of(),
                "--auth-static-token", TOKEN, "--auth-max-failures", "2")) {
            URI base = server.registry().localUri();
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> page = send(base, HttpRequest.newBuilder(base.resolve("/ui/")).header("Cookie", "wharf_ui_token=stale-" + i),
                        null, null);
                assertThat(page.statusCode()).isEqualTo(303);
            }
            assertThat(get(base, VERSIONS, null, "Bearer " + TOKEN).statusCode()).isEqualTo(429);
            assertThat(send(base, HttpRequest.newBuilder(base.resolve("/ui/")), null, null).statusCode()).isEqualTo(303);
        }
        try (ServerCommand.Running server = InProcessRegistry.start(dir.resolve("data"), clock, Map.of(),
                "--auth-static-token", TOKEN, "--auth-max-failures", "0")) {
            URI base = server.registry().localUri();
            for (int i = 0; i < 40; i++) {
                assertThat(get(base, VERSIONS, null, "Bearer guess-" + i).statusCode()).isEqualTo(401);
            }
            assertThat(get(base, VERSIONS, null, "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        }
    }

    /**
     * Over TLS (here a trusted proxy's X-Forwarded-Proto) the session cookie is __Secure-wharf_ui_token; a refused one is a
     * failed check as the plain name is over http, and past the limit that name is throttled, the right token in it too.
     * The same name over plain http is not this UI's cookie there: never read, never counted.
     */
    @Test
    void aRefusedSecureSessionCookieOverTlsCounts() throws Exception {
        try (ServerCommand.Running server = InProcessRegistry.start(dir.resolve("data"), clock, Map.of(),
                "--auth-static-token", TOKEN, "--auth-max-failures", "2", "--http-trust-forwarded", "--http-trusted-proxies", "127.0.0.1")) {
            URI base = server.registry().localUri();
            String secure = "__Secure-wharf_ui_token=";
            for (int i = 0; i < 3; i++) {
                assertThat(ui(base, "http", secure + "stale-http-" + i).statusCode()).isEqualTo(303);
            }
            assertThat(ui(base, "https", secure + TOKEN).statusCode()).isEqualTo(200);
            for (int i = 0; i < 2; i++) {
                assertThat(ui(base, "https", secure + "stale-" + i).statusCode()).isEqualTo(303);
            }
            assertThat(ui(base, "https", secure + TOKEN).statusCode()).isEqualTo(429);
            assertThat(get(base, VERSIONS, null, "Bearer " + TOKEN).statusCode()).isEqualTo(429);
        }
    }

    /**
     * The session cookie is a credential only by the name the UI reads for the request's scheme and on the UI's pages: a
     * stray one of the other name (the plain one over TLS, a planted __Secure- one over http) or one sent to the API is
     * never counted, and once the address is throttled its pages and sign-in form still lead to the form rather than 429.
     */
    @Test
    void aSessionCookieTheUiDoesNotReadThereIsNoCredential() throws Exception {
        try (ServerCommand.Running server = InProcessRegistry.start(dir.resolve("data"), clock, Map.of(),
                "--auth-static-token", TOKEN, "--auth-max-failures", "2", "--http-trust-forwarded", "--http-trusted-proxies", "127.0.0.1")) {
            URI base = server.registry().localUri();
            for (int i = 0; i < 3; i++) {
                assertThat(proxied(base, VERSIONS, "http", "__Secure-wharf_ui_token=stray-" + i).statusCode()).isEqualTo(401);
                assertThat(proxied(base, VERSIONS, "https", "wharf_ui_token=stray-" + i).statusCode()).isEqualTo(401);
                assertThat(proxied(base, VERSIONS, "http", "wharf_ui_token=stray-" + i).statusCode()).isEqualTo(401);
                assertThat(proxied(base, VERSIONS, "https", "__Secure-wharf_ui_token=stray-" + i).statusCode()).isEqualTo(401);
                assertThat(ui(base, "http", "__Secure-wharf_ui_token=stray-" + i).statusCode()).isEqualTo(303);
                assertThat(ui(base, "https", "wharf_ui_token=stray-" + i).statusCode()).isEqualTo(303);
            }
            assertThat(get(base, VERSIONS, null, "Bearer " + TOKEN).statusCode()).as("none of those was counted").isEqualTo(200);

            for (int i = 0; i < 2; i++) {
                assertThat(ui(base, "https", "__Secure-wharf_ui_token=stale-" + i).statusCode()).isEqualTo(303);
            }
            assertThat(ui(base, "https", "__Secure-wharf_ui_token=" + TOKEN).statusCode()).isEqualTo(429);
            // Throttled now; a browser still holding the plain cookie from plain-http days is no guesser and gets the form.
            assertThat(ui(base, "https", "wharf_ui_token=" + TOKEN).statusCode()).isEqualTo(303);
            HttpResponse<String> form = proxied(base, "/ui/sign-in", "https", "wharf_ui_token=stale");
            assertThat(form.statusCode()).isEqualTo(200);
            assertThat(form.body()).contains("Sign in");
        }
    }

    private static HttpResponse<String> proxied(URI base, String path, String proto, String cookie) throws Exception {
        return send(base, HttpRequest.newBuilder(base.resolve(path)).header("X-Forwarded-Proto", proto).header("Cookie", cookie), null, null);
    }

    private static HttpResponse<String> ui(URI base, String proto, String cookie) throws Exception {
        return send(base, HttpRequest.newBuilder(base.resolve("/ui/")).header("X-Forwarded-Proto", proto).header("Cookie", cookie), null, null);
    }

    private static HttpResponse<String> get(URI base, String path, String client, String authorization) throws Exception {
        return send(base, HttpRequest.newBuilder(base.resolve(path)), client, authorization);
    }

    private static HttpResponse<String> send(URI base, HttpRequest.Builder request, String client, String authorization) throws Exception {
        if (client != null) {
            request.header("X-Forwarded-For", client);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
