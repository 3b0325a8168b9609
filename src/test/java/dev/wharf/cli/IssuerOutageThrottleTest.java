package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.http.access.NewToken;
import dev.wharf.testing.ManualClock;
import dev.wharf.testing.OidcIssuer;
import dev.wharf.testing.Publishing;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * boring-registry's failed-credential throttle while an OIDC issuer cannot be reached: a token of that
 * issuer is refused unchecked (valid ones too), so that refusal is no failed check, on every route that
 * answers it (API, mirror, publish API, UI cookie and sign-in form); a guess of another kind of token
 * from the same address at the same moment still is. For {@code --auth-oidc-issuer} and for a trusted
 * publisher's issuer alike.
 */
class IssuerOutageThrottleTest {
    private static final String TOKEN = "the-right-token";
    private static final String VERSIONS = "/v1/modules/example/hello/null/versions";
    private static final String PUBLISH = "/api/v1/modules/example/hello/null/9.9.9";
    private static final String CLIENT = "198.51.100.1";
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    @BeforeEach
    void upload() {
        InProcessRegistry.uploadExampleModule(dir.resolve("data"));
    }

    @Test
    void validOidcTokensRefusedWhileTheIssuerIsDownAreNotCountedButStaticTokenGuessesAre() throws Exception {
        OidcIssuer gone = OidcIssuer.start();
        String alice = gone.token("alice", "wharf-cli", Duration.ofMinutes(5));
        URI issuer = gone.issuer();
        gone.close();
        try (ServerCommand.Running server = InProcessRegistry.start(dir.resolve("data"), clock, Map.of(),
                "--auth-oidc-issuer", issuer.toString(), "--auth-oidc-clientid", "wharf-cli", "--auth-oidc-scopes-claim", "groups",
                "--auth-static-token", TOKEN, "--auth-max-failures", "3", "--http-trusted-proxies", "127.0.0.1")) {
            URI base = server.registry().localUri();
            // A CI fleet behind one address retrying through the outage, more often than the limit.
            for (int i = 0; i < 2; i++) {
                for (String path : List.of(VERSIONS, "/v1/providers/example/null/versions", "/v1/mirror/registry.terraform.io/hashicorp/null/index.json")) {
                    HttpResponse<String> refused = get(base, path, "Bearer " + alice);
                    assertThat(refused.statusCode()).as(path + ": " + refused.body()).isEqualTo(401);
                    assertThat(refused.body()).contains("cannot be checked now");
                }
                assertThat(put(base, alice).statusCode()).isEqualTo(401);
                assertThat(send(base, HttpRequest.newBuilder(base.resolve("/ui/")).header("Cookie", "wharf_ui_token=" + alice), null)
                        .statusCode()).isEqualTo(303);
                assertThat(signIn(base, alice).statusCode()).isEqualTo(401);
            }

            // Guesses from that address at the same moment are counted: at the static token, and a JWT of
            // another issuer, which no answer of the issuer down could let in.
            try (OidcIssuer other = OidcIssuer.start()) {
                HttpResponse<String> stranger = get(base, VERSIONS, "Bearer " + other.token("mallory", "wharf-cli", Duration.ofMinutes(5)));
                assertThat(stranger.statusCode()).as(stranger.body()).isEqualTo(401);
            }
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> guess = get(base, VERSIONS, "Bearer guess-" + i);
                assertThat(guess.statusCode()).as(guess.body()).isEqualTo(401);
            }
            assertThat(get(base, VERSIONS, "Bearer guess-2").statusCode()).isEqualTo(429);
            assertThat(get(base, VERSIONS, "Bearer " + TOKEN).statusCode()).isEqualTo(429);
        }
    }

    @Test
    void aTrustedPublishersTokensRefusedWhileItsIssuerIsDownAreNotCountedButGuessesAre() throws Exception {
        OidcIssuer gone = OidcIssuer.start();
        String goneToken = gone.sign(ciJob(gone));
        gone.close();
        try (OidcIssuer keysDown = OidcIssuer.start()) {
            keysDown.jwksDown(true);
            NewToken reader = Publishing.token("reader", "read");
            Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), reader);
            // One issuer that does not answer at all, one whose discovery answers but whose keys are 503.
            Files.writeString(tokens, Files.readString(tokens) + """
                    publishers:
                      - name: gone-ci
                        issuer: %s
                        audience: https://registry.acme.test
                        claims: {repository: acme/infra}
                        scopes: ["read", "publish:example/*"]
                      - name: keys-down-ci
                        issuer: %s
                        audience: https://registry.acme.test
                        claims: {repository: acme/infra}
                        scopes: ["read", "publish:example/*"]
                    """.formatted(gone.issuer(), keysDown.issuer()));
            String keysDownToken = keysDown.sign(ciJob(keysDown));
            try (ServerCommand.Running server = InProcessRegistry.start(dir.resolve("data"), clock, Map.of(),
                    "--auth-tokens-file", tokens.toString(), "--auth-max-failures", "3", "--http-trusted-proxies", "127.0.0.1")) {
                URI base = server.registry().localUri();
                for (int i = 0; i < 2; i++) {
                    HttpResponse<String> unreachable = put(base, goneToken);
                    assertThat(unreachable.statusCode()).as(unreachable.body()).isEqualTo(401);
                    assertThat(unreachable.body()).contains("cannot be checked now").contains("cannot be reached");
                    HttpResponse<String> noKeys = put(base, keysDownToken);
                    assertThat(noKeys.statusCode()).as(noKeys.body()).isEqualTo(401);
                    assertThat(noKeys.body()).contains("signing keys cannot be fetched");
                    assertThat(get(base, VERSIONS, "Bearer " + goneToken).statusCode()).isEqualTo(401);
                    assertThat(get(base, VERSIONS, "Bearer " + keysDownToken).statusCode()).isEqualTo(401);
                }

                for (int i = 0; i < 3; i++) {
                    assertThat(get(base, VERSIONS, "Bearer guess-" + i).statusCode()).isEqualTo(401);
                }
                assertThat(get(base, VERSIONS, "Bearer guess-3").statusCode()).isEqualTo(429);
                assertThat(get(base, VERSIONS, "Bearer " + reader.token()).statusCode()).isEqualTo(429);
            }
        }
    }

    /** A CI job's ID token of {@code issuer}, as a trusted publisher's pipeline presents it. */
    private static JWTClaimsSet ciJob(OidcIssuer issuer) {
        return new JWTClaimsSet.Builder().issuer(issuer.issuer().toString()).audience("https://registry.acme.test")
                .subject("repo:acme/infra:ref:refs/heads/main").claim("repository", "acme/infra")
                .expirationTime(Date.from(Instant.now().plusSeconds(300))).build();
    }

    private static HttpResponse<String> put(URI base, String token) throws Exception {
        return send(base, HttpRequest.newBuilder(base.resolve(PUBLISH)).PUT(HttpRequest.BodyPublishers.ofString("x")), "Bearer " + token);
    }

    private static HttpResponse<String> signIn(URI base, String token) throws Exception {
        return send(base, HttpRequest.newBuilder(base.resolve("/ui/sign-in")).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", base.toString().replaceAll("/$", ""))
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&next=%2Fui%2F")), null);
    }

    private static HttpResponse<String> get(URI base, String path, String authorization) throws Exception {
        return send(base, HttpRequest.newBuilder(base.resolve(path)), authorization);
    }

    private static HttpResponse<String> send(URI base, HttpRequest.Builder request, String authorization) throws Exception {
        request.header("X-Forwarded-For", CLIENT);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
