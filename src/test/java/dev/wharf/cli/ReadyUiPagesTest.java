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
            "referrer-policy", "x-frame-options", "cache-control", "vary", "content-encoding", "content-length");

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
            int gzippable = 0;
            for (String page : List.of("/ui/", "/ui/modules/acme/hello/null", "/ui/static/ui.css")) {
                // The router's answer and the repeats from memory agree, gzipped or not: a cache in front
                // (Vary) and a client get the same whichever of the two answered. The page is kept per
                // host, so asking on another host has the router answer again.
                URI local = URI.create("http://localhost:" + server.registry().port() + page);
                HttpResponse<byte[]> gzipped = null;
                for (URI uri : List.of(base.resolve(page), local)) {
                    String encoding = uri == local ? null : "gzip";
                    double before = fromMemory(server, page);
                    HttpResponse<byte[]> rendered = getBytes(uri, cookie(reader.token()), encoding);
                    HttpResponse<byte[]> repeated = getBytes(uri, cookie(reader.token()), encoding);
                    assertThat(rendered.statusCode()).as(uri.toString()).isEqualTo(200);
                    assertThat(repeated.body()).as(uri + " " + encoding).isEqualTo(rendered.body());
                    for (String header : PAGE_HEADERS) {
                        assertThat(repeated.headers().allValues(header)).as(uri + " " + encoding + " " + header)
                                .isEqualTo(rendered.headers().allValues(header));
                    }
                    assertThat(fromMemory(server, page)).as(uri + " answered from memory").isEqualTo(before + 1);
                    if (encoding != null) {
                        gzipped = rendered;
                    } else {
                        assertThat(rendered.headers().firstValue("content-encoding")).as(uri.toString()).isEmpty();
                    }
                }
                // Bodies of 1 500 bytes and more have a gzipped variant (Javalin's threshold), smaller ones none.
                HttpResponse<byte[]> plain = getBytes(base.resolve(page), cookie(reader.token()), null);
                boolean variant = plain.body().length >= 1500;
                assertThat(gzipped.headers().allValues("vary")).as(page).isEqualTo(variant ? List.of("Accept-Encoding") : List.of());
                assertThat(gzipped.headers().allValues("content-encoding")).as(page).isEqualTo(variant ? List.of("gzip") : List.of());
                assertThat(variant ? gunzip(gzipped.body()) : gzipped.body()).as(page + " gunzipped").isEqualTo(plain.body());
                gzippable += variant ? 1 : 0;

                // The page is ready, and still nobody gets it without signing in.
                for (String refused : new String[] {null, "wrong-token", acme.token() + "x"}) {
                    HttpResponse<String> anonymous = get(base.resolve(page), refused == null ? null : cookie(refused));
                    assertThat(anonymous.statusCode()).as(page + " with cookie " + refused).isEqualTo(303);
                    assertThat(anonymous.headers().firstValue("Location").orElseThrow()).startsWith("/ui/sign-in");
                    assertThat(anonymous.body()).doesNotContain("acme");
                }
            }
            assertThat(gzippable).as("pages with a gzipped variant").isGreaterThanOrEqualTo(2);
            assertThat(fromMemory(server, "/ui/")).isEqualTo(2);

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

    private HttpResponse<byte[]> getBytes(URI uri, String cookie, String acceptEncoding) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Cookie", cookie);
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] gunzip(byte[] gzipped) throws java.io.IOException {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipped))) {
            return in.readAllBytes();
        }
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
