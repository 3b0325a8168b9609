package dev.wharf.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The test fixtures themselves: each registry set-up answers as distribution does. */
class RegistryTestSupportTest {
    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();

    private int get(String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void requiredToolAbortsOutsideCiAndFailsInCi() throws Exception {
        assertThat(RequiredTool.require("sh", "dash", Map.of("PATH", "/nonexistent"))).exists();
        assertThatThrownBy(() -> RequiredTool.require("wharf-no-such-tool", "wharf-pkg", Map.of("PATH", "/nonexistent")))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("apt-get install wharf-pkg");
        assertThatThrownBy(() -> RequiredTool.require("wharf-no-such-tool", "wharf-pkg", Map.of("PATH", "", "CI", "true")))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("apt-get install wharf-pkg");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path tool = Files.writeString(bin.resolve("wharf-own-tool"), "#!/bin/sh\n");
        tool.toFile().setExecutable(true);
        assertThat(RequiredTool.require("wharf-own-tool", "x", Map.of("PATH", bin.toString()))).isEqualTo(tool);
    }

    @Test
    void anonymousRegistryAnswersAndRestartsOnTheSamePort() throws Exception {
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(tmp.resolve("anon"))) {
            assertThat(get(registry.url() + "/v2/", null)).isEqualTo(200);
            int port = registry.port();
            registry.stop();
            assertThatThrownBy(() -> get(registry.url() + "/v2/", null)).isInstanceOf(java.io.IOException.class);
            registry.start();
            assertThat(registry.port()).isEqualTo(port);
            assertThat(get(registry.url() + "/v2/", null)).isEqualTo(200);
            assertThat(registry.log()).contains("listening on");
        }
    }

    @Test
    void htpasswdRegistryChecksTheBcryptPassword() throws Exception {
        try (DockerRegistryServer registry = DockerRegistryServer.builder(tmp.resolve("basic"))
                .basicAuth("alice", "s3cret").start()) {
            assertThat(get(registry.url() + "/v2/", null)).isEqualTo(401);
            assertThat(get(registry.url() + "/v2/", basic("alice", "wrong"))).isEqualTo(401);
            assertThat(get(registry.url() + "/v2/", basic("alice", "s3cret"))).isEqualTo(200);
        }
    }

    @Test
    void tlsRegistryServesItsSelfSignedCertificate() throws Exception {
        try (DockerRegistryServer registry = DockerRegistryServer.builder(tmp.resolve("tls")).tls().start()) {
            assertThat(registry.url()).startsWith("https://127.0.0.1:");
            assertThatThrownBy(() -> get(registry.url() + "/v2/", null)).isInstanceOf(javax.net.ssl.SSLException.class);
            HttpClient trusting = HttpClient.newBuilder()
                    .sslContext(registry.certificate().orElseThrow().trustingContext()).build();
            assertThat(trusting.send(HttpRequest.newBuilder(URI.create(registry.url() + "/v2/")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            HttpClient viaLocalhost = trusting;
            assertThat(viaLocalhost.send(HttpRequest.newBuilder(URI.create("https://localhost:" + registry.port() + "/v2/")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            assertThat(registry.certificatePath().orElseThrow()).exists();
        }
    }

    @Test
    void tokenRegistryAcceptsTokensFromTheTestTokenServer() throws Exception {
        try (TokenServer tokens = new TokenServer(tmp.resolve("tokens")).user("bob", "pw").pullOnlyUser("reader", "pw2");
                DockerRegistryServer registry = DockerRegistryServer.builder(tmp.resolve("token")).tokenAuth(tokens).start()) {
            HttpResponse<Void> challenge = http.send(HttpRequest.newBuilder(URI.create(registry.url() + "/v2/")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(challenge.statusCode()).isEqualTo(401);
            assertThat(challenge.headers().firstValue("WWW-Authenticate").orElseThrow())
                    .contains("Bearer realm=\"" + tokens.realm() + "\"").contains("service=\"" + TokenServer.SERVICE + "\"");

            String scope = "repository:team/app:pull,push";
            String tokenUrl = tokens.realm() + "?service=" + TokenServer.SERVICE + "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8);
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(tokenUrl))
                    .header("Authorization", basic("bob", "pw")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            JsonNode body = new ObjectMapper().readTree(answer.body());
            String token = body.get("token").asText();
            assertThat(get(registry.url() + "/v2/", "Bearer " + token)).isEqualTo(200);
            // Upload start needs push: granted to bob, not to the pull-only user.
            HttpResponse<Void> upload = http.send(HttpRequest.newBuilder(URI.create(registry.url() + "/v2/team/app/blobs/uploads/"))
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(upload.statusCode()).isEqualTo(202);

            String readerToken = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(tokenUrl))
                    .header("Authorization", basic("reader", "pw2")).build(), HttpResponse.BodyHandlers.ofString()).body())
                    .get("token").asText();
            HttpResponse<Void> refused = http.send(HttpRequest.newBuilder(URI.create(registry.url() + "/v2/team/app/blobs/uploads/"))
                    .header("Authorization", "Bearer " + readerToken).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(refused.statusCode()).isEqualTo(401);

            assertThat(http.send(HttpRequest.newBuilder(URI.create(tokenUrl)).header("Authorization", basic("bob", "nope")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
            assertThat(tokens.tokensIssued()).isEqualTo(2);

            HttpResponse<String> oauth = http.send(HttpRequest.newBuilder(URI.create(tokens.realm()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=bob&password=pw&service="
                            + TokenServer.SERVICE + "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8) + "&client_id=wharf"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            String refresh = new ObjectMapper().readTree(oauth.body()).get("refresh_token").asText();
            HttpResponse<String> refreshed = http.send(HttpRequest.newBuilder(URI.create(tokens.realm()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token=" + refresh + "&service="
                            + TokenServer.SERVICE + "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refreshed.statusCode()).isEqualTo(200);
            assertThat(get(registry.url() + "/v2/", "Bearer " + new ObjectMapper().readTree(refreshed.body()).get("access_token").asText()))
                    .isEqualTo(200);
        }
    }
}
