package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.http.access.NewToken;
import dev.wharf.testing.Publishing;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module read API's answers (lists, searches, one module with its documentation) are kept as
 * ready answers, as the protocol's are (issue 19 measures them in figure 1): a repeat is answered
 * from memory with the router's bytes, yet never to a client the token check refuses, and never
 * after the module's versions changed.
 */
class ReadyDiscoveryAnswersTest {
    private static final List<String> HEADERS = List.of("content-type", "content-length", "content-encoding");

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newHttpClient();
    NewToken reader;
    NewToken acme;
    Path archive;

    @BeforeEach
    void setUp() throws Exception {
        reader = Publishing.token("reader", "read");
        acme = Publishing.token("ci-acme", "publish:acme/*");
        archive = Publishing.moduleArchive(Path.of("examples/modules/hello").toAbsolutePath(), dir.resolve("hello.tar.gz"));
    }

    @Test
    void repeatsComeFromMemoryWithTheRoutersBytesOnlyForClientsTheTokenCheckAdmits() throws Exception {
        try (ServerCommand.Running server = server()) {
            URI base = URI.create("http://127.0.0.1:" + server.registry().port());
            assertThat(publish(base, "1.0.0").statusCode()).isEqualTo(201);
            Map<String, String> routes = Map.of(
                    "/v1/modules?limit=5", "/v1/modules",
                    "/v1/modules/search?q=hello", "/v1/modules/search",
                    "/v1/modules/acme", "/v1/modules/{namespace}",
                    "/v1/modules/acme/hello/null", "/v1/modules/{namespace}/{name}/{provider}",
                    "/v1/modules/acme/hello/null/1.0.0", "/v1/modules/{namespace}/{name}/{provider}/{version}");
            for (Map.Entry<String, String> target : routes.entrySet()) {
                String path = target.getKey();
                double before = fromMemory(server, target.getValue());
                HttpResponse<String> rendered = get(base.resolve(path), reader.token());
                HttpResponse<String> repeated = get(base.resolve(path), reader.token());
                assertThat(rendered.statusCode()).as(path + ": " + rendered.body()).isEqualTo(200);
                assertThat(rendered.body()).as(path).contains("\"hello\"");
                assertThat(repeated.statusCode()).as(path).isEqualTo(200);
                assertThat(repeated.body()).as(path).isEqualTo(rendered.body());
                for (String header : HEADERS) {
                    assertThat(repeated.headers().allValues(header)).as(path + " " + header).isEqualTo(rendered.headers().allValues(header));
                }
                assertThat(fromMemory(server, target.getValue())).as(path + " answered from memory").isEqualTo(before + 1);

                // The answer is ready, and still nobody gets it without a token the check admits.
                for (String refused : new String[] {null, "wrong-token", reader.token() + "x"}) {
                    HttpResponse<String> anonymous = get(base.resolve(path), refused);
                    assertThat(anonymous.statusCode()).as(path + " with token " + refused).isEqualTo(401);
                    assertThat(anonymous.body()).doesNotContain("hello");
                }
            }
        }
    }

    @Test
    void aPublishedVersionShowsAtOnceInAModuleThatWasReady() throws Exception {
        try (ServerCommand.Running server = server()) {
            URI base = URI.create("http://127.0.0.1:" + server.registry().port());
            assertThat(publish(base, "1.0.0").statusCode()).isEqualTo(201);
            URI module = base.resolve("/v1/modules/acme/hello/null");
            get(module, reader.token());
            assertThat(get(module, reader.token()).body()).contains("\"version\":\"1.0.0\"").doesNotContain("2.0.0");
            assertThat(fromMemory(server, "/v1/modules/{namespace}/{name}/{provider}")).isEqualTo(1);

            assertThat(publish(base, "2.0.0").statusCode()).isEqualTo(201);
            assertThat(get(module, reader.token()).body()).contains("\"version\":\"2.0.0\"");
        }
    }

    private HttpResponse<String> publish(URI base, String version) throws Exception {
        return Publishing.put(http, base.resolve("/api/v1/modules/acme/hello/null/" + version), acme.token(), "application/gzip",
                HttpRequest.BodyPublishers.ofFile(archive));
    }

    private HttpResponse<String> get(URI uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private double fromMemory(ServerCommand.Running server, String route) throws Exception {
        return ReadyAnswerServer.fromMemory(http, server, route);
    }

    private ServerCommand.Running server() throws Exception {
        return ReadyAnswerServer.start(dir, reader, acme);
    }
}
