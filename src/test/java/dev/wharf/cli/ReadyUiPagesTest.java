package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.http.access.NewToken;
import dev.wharf.testing.Publishing;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UI's pages are kept as ready answers, as the API's are (issue 18, "Speed"): a repeat is
 * answered from memory, yet never to a visitor the router would send to sign-in, never with
 * another host's usage snippet, and never after what the page shows has changed.
 */
class ReadyUiPagesTest {
    private static final List<String> PAGE_HEADERS = List.of("content-type", "content-security-policy", "x-content-type-options",
            "referrer-policy", "x-frame-options", "cache-control", "content-encoding");

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
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
    void repeatsComeFromMemoryWithTheRoutersBytesAndHeadersOnlyForSignedInVisitorsOfTheSameHost() throws Exception {
        try (ServerCommand.Running server = server()) {
            URI base = URI.create("http://127.0.0.1:" + server.registry().port());
            assertThat(publish(base, "1.0.0").statusCode()).isEqualTo(201);
            for (String page : List.of("/ui/", "/ui/modules/acme/hello/null", "/ui/static/ui.css")) {
                double before = fromMemory(server, page);
                HttpResponse<String> rendered = get(base.resolve(page), cookie(reader.token()));
                HttpResponse<String> repeated = get(base.resolve(page), cookie(reader.token()));
                assertThat(rendered.statusCode()).as(page).isEqualTo(200);
                assertThat(repeated.body()).as(page).isEqualTo(rendered.body());
                for (String header : PAGE_HEADERS) {
                    assertThat(repeated.headers().allValues(header)).as(page + " " + header).isEqualTo(rendered.headers().allValues(header));
                }
                assertThat(fromMemory(server, page)).as(page + " answered from memory").isEqualTo(before + 1);

                // The page is ready, and still nobody gets it without signing in.
                for (String refused : new String[] {null, "wrong-token", acme.token() + "x"}) {
                    HttpResponse<String> anonymous = get(base.resolve(page), refused == null ? null : cookie(refused));
                    assertThat(anonymous.statusCode()).as(page + " with cookie " + refused).isEqualTo(303);
                    assertThat(anonymous.headers().firstValue("Location").orElseThrow()).startsWith("/ui/sign-in");
                    assertThat(anonymous.body()).doesNotContain("acme");
                }
            }
            assertThat(fromMemory(server, "/ui/")).isEqualTo(1);

            // The usage snippet names the host the page was asked on: another host gets its own page.
            HttpResponse<String> local = get(URI.create("http://localhost:" + server.registry().port() + "/ui/modules/acme/hello/null"),
                    cookie(reader.token()));
            assertThat(local.body()).contains("localhost:" + server.registry().port() + "/acme/hello/null")
                    .doesNotContain("127.0.0.1:" + server.registry().port() + "/acme/hello/null");
        }
    }

    @Test
    void aPublishedVersionShowsAtOnceOnAModulePageThatWasReady() throws Exception {
        try (ServerCommand.Running server = server()) {
            URI base = URI.create("http://127.0.0.1:" + server.registry().port());
            assertThat(publish(base, "1.0.0").statusCode()).isEqualTo(201);
            URI page = base.resolve("/ui/modules/acme/hello/null");
            get(page, cookie(reader.token()));
            assertThat(get(page, cookie(reader.token())).body()).contains("1.0.0").doesNotContain("2.0.0");
            assertThat(fromMemory(server, "/ui/modules/acme/hello/null")).isEqualTo(1);

            assertThat(publish(base, "2.0.0").statusCode()).isEqualTo(201);
            assertThat(get(page, cookie(reader.token())).body()).contains("2.0.0");
        }
    }

    private HttpResponse<String> publish(URI base, String version) throws Exception {
        return Publishing.put(http, base.resolve("/api/v1/modules/acme/hello/null/" + version), acme.token(), "application/gzip",
                HttpRequest.BodyPublishers.ofFile(archive));
    }

    private HttpResponse<String> get(URI uri, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String cookie(String token) {
        return "other=1; wharf_ui_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    /** {@code wharf_ready_answers_total} of this page's route. */
    private double fromMemory(ServerCommand.Running server, String page) throws Exception {
        String route = page.startsWith("/ui/modules/") ? "/ui/modules/{namespace}/{name}/{provider}" : page;
        return ReadyAnswerServer.fromMemory(http, server, route);
    }

    private ServerCommand.Running server() throws Exception {
        return ReadyAnswerServer.start(dir, reader, acme);
    }
}
