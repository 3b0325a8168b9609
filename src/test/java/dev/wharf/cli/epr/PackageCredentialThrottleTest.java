package dev.wharf.cli.epr;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.wharf.http.access.NewToken;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.OidcIssuer;
import dev.wharf.testing.Publishing;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * package-registry past {@code -auth-max-failures} failed token checks from one client (behind a
 * trusted proxy, the one X-Forwarded-For names): its requests with tokens get 429 with
 * {@code Retry-After} on the upload API and the UI, its right token too; other clients, requests
 * without tokens and EPR's open API go on. (The window's end is shown on boring-registry, whose
 * clock a test can move: CredentialThrottleTest.)
 */
class PackageCredentialThrottleTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final String GUESSER = "198.51.100.1";
    private static final String NEIGHBOUR = "198.51.100.2";

    @TempDir
    Path dir;

    @Test
    void wrongTokensFromOneClientThrottleItsTokensOnTheUploadApiAndTheUi() throws Exception {
        NewToken reader = Publishing.token("reader", "read");
        NewToken publisher = Publishing.token("ci", "publish:acme_*");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), reader, publisher);
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"))) {
            int port = TestPorts.free();
            int metricsPort = TestPorts.free();
            try (WharfProcess server = server(registry, tokens, port, metricsPort, 4)) {
                URI base = URI.create("http://127.0.0.1:" + port);
                server.awaitReady(base.resolve("/health"), Duration.ofMinutes(1));
                assertThat(send(base, "/ui/", GUESSER, null, reader.token()).statusCode()).isEqualTo(200);
                for (int i = 0; i < 2; i++) {
                    assertThat(send(base, "/api/v1/packages", GUESSER, "guess-" + i, null).statusCode()).isEqualTo(401);
                    assertThat(send(base, "/ui/", GUESSER, null, "guess-" + i).statusCode()).isEqualTo(303);
                }

                HttpResponse<String> throttled = send(base, "/api/v1/packages", GUESSER, "guess-2", null);
                assertThat(throttled.statusCode()).isEqualTo(429);
                assertThat(Integer.parseInt(throttled.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 60);
                assertThat(send(base, "/api/v1/packages", GUESSER, publisher.token(), null).statusCode()).isEqualTo(429);
                assertThat(send(base, "/ui/", GUESSER, null, reader.token()).statusCode()).isEqualTo(429);
                HttpResponse<String> signIn = HTTP.send(HttpRequest.newBuilder(base.resolve("/ui/sign-in")).header("X-Forwarded-For", GUESSER)
                        .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "http://127.0.0.1:" + port)
                        .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(reader.token(), StandardCharsets.UTF_8)
                                + "&next=%2Fui%2F")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(signIn.statusCode()).isEqualTo(429);

                // Not guesses, not blocked: no token, EPR's open API, another client.
                assertThat(send(base, "/api/v1/packages", GUESSER, null, null).statusCode()).isEqualTo(401);
                assertThat(send(base, "/ui/", GUESSER, null, null).statusCode()).isEqualTo(303);
                assertThat(send(base, "/search", GUESSER, "anything", null).statusCode()).isEqualTo(200);
                assertThat(send(base, "/ui/", NEIGHBOUR, null, reader.token()).statusCode()).isEqualTo(200);
                assertThat(send(base, "/api/v1/packages", NEIGHBOUR, "wrong", null).statusCode()).isEqualTo(401);

                String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("wharf_auth_throttled_total 4.0");
                assertThat(server.output()).contains("4 failed credential checks from " + GUESSER).doesNotContain(reader.token());
            }
        }
    }

    @Test
    void aTrustedPublishersTokensRefusedWhileItsIssuerCannotBeReachedAreNoFailedChecksButGuessesStillAre() throws Exception {
        OidcIssuer gone = OidcIssuer.start();
        String goneToken = gone.sign(ciJob(gone));
        gone.close();
        try (OidcIssuer keysDown = OidcIssuer.start(); DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"))) {
            keysDown.jwksDown(true);
            // One issuer that does not answer at all, one whose discovery answers but whose keys are 503.
            Path tokens = Files.writeString(dir.resolve("tokens.yaml"), """
                    publishers:
                      - name: gone-ci
                        issuer: %s
                        audience: package-registry
                        claims: {project_path: acme/integrations}
                        scopes: ["publish:acme_*"]
                      - name: keys-down-ci
                        issuer: %s
                        audience: package-registry
                        claims: {project_path: acme/integrations}
                        scopes: ["publish:acme_*"]
                    """.formatted(gone.issuer(), keysDown.issuer()));
            String keysDownToken = keysDown.sign(ciJob(keysDown));
            int port = TestPorts.free();
            try (WharfProcess server = server(registry, tokens, port, TestPorts.free(), 2)) {
                URI base = URI.create("http://127.0.0.1:" + port);
                server.awaitReady(base.resolve("/health"), Duration.ofMinutes(1));
                // A CI fleet behind one address retrying through the outage: refused, never throttled.
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> unreachable = send(base, "/api/v1/packages", GUESSER, goneToken, null);
                    assertThat(unreachable.statusCode()).as(unreachable.body()).isEqualTo(401);
                    assertThat(unreachable.body()).contains("cannot be checked now").contains("cannot be reached");
                    HttpResponse<String> noKeys = send(base, "/api/v1/packages", GUESSER, keysDownToken, null);
                    assertThat(noKeys.statusCode()).as(noKeys.body()).isEqualTo(401);
                    assertThat(noKeys.body()).contains("signing keys cannot be fetched").contains("503");
                }

                // Guesses from that address in the same moment are still counted.
                assertThat(send(base, "/api/v1/packages", GUESSER, "guess-0", null).statusCode()).isEqualTo(401);
                assertThat(send(base, "/api/v1/packages", GUESSER, "guess-1", null).statusCode()).isEqualTo(401);
                assertThat(send(base, "/api/v1/packages", GUESSER, "guess-2", null).statusCode()).isEqualTo(429);
                assertThat(server.output()).contains("2 failed credential checks from " + GUESSER);
            }
        }
    }

    private WharfProcess server(DockerRegistryServer registry, Path tokens, int port, int metricsPort, int maxFailures) {
        return WharfProcess.start(dir.resolve("work"), Map.of(), List.of("package-registry", "-feature-oci-indexer",
                "-oci-registry", registry.host(), "-oci-repository", "epr/throttle", "-oci-insecure", "-address", "127.0.0.1:" + port,
                "-metrics-address", "127.0.0.1:" + metricsPort, "-require-package-signatures=false", "-log-type", "dev",
                "-oci-refresh-interval", "0", "-auth-tokens-file", tokens.toString(), "-http-trusted-proxies", "127.0.0.1",
                "-auth-max-failures", String.valueOf(maxFailures)));
    }

    /** A CI job's ID token of {@code issuer}, as a trusted publisher's pipeline presents it. */
    private static JWTClaimsSet ciJob(OidcIssuer issuer) {
        return new JWTClaimsSet.Builder().issuer(issuer.issuer().toString()).audience("package-registry")
                .subject("project_path:acme/integrations:ref_type:branch:ref:main").claim("project_path", "acme/integrations")
                .expirationTime(Date.from(Instant.now().plusSeconds(300))).build();
    }

    /** A PUT to the upload API, a GET otherwise; with a Bearer token and the UI's session cookie when given. */
    private static HttpResponse<String> send(URI base, String path, String client, String token, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("X-Forwarded-For", client);
        if (path.startsWith("/api/")) {
            request.header("Content-Type", "application/zip").PUT(HttpRequest.BodyPublishers.ofString("not a zip"));
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (cookie != null) {
            request.header("Cookie", "wharf_epr_ui_token=" + URLEncoder.encode(cookie, StandardCharsets.UTF_8));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
