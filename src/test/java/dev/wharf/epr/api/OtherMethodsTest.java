package dev.wharf.epr.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Methods other than GET and HEAD on EPR's routes. EPR's gorilla router has no method matchers and
 * its handlers never look at the method, so EPR answers them all as GET; Wharf answers POST so,
 * OPTIONS (a CORS preflight) with 204 and {@code Allow}, and methods that would read as a change
 * (PUT, DELETE, …) with 405 and {@code Allow}; never the 404 of a path that does not exist.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OtherMethodsTest {
    private static final String ALLOW = "GET, HEAD, POST, OPTIONS";

    private FolderPackagesServer epr;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        epr = FolderPackagesServer.start("epr-methods-");
    }

    @AfterAll
    void stop() throws IOException {
        epr.close();
    }

    /** Every route, answered and refused (a version not there, a bad query, gorilla's trailing-slash redirect). */
    static Stream<String> routes() {
        return Stream.of("/", "/index.json", "/search", "/search?package=acme_logs&all=true", "/categories", "/health", "/favicon.ico",
                "/package/acme_logs/1.1.0/", "/package/acme_logs/1.1.0/docs/README.md", "/epr/acme_logs/acme_logs-1.1.0.zip",
                "/epr/acme_logs/acme_logs-1.1.0.zip.sig", "/package/acme_logs/9.9.9/", "/package/acme_logs/1.1.0/missing.txt",
                "/epr/nothing/nothing-1.0.0.zip", "/search?kibana.version=eight", "/search/", "/package/acme_logs/1.1.0",
                "/package/Acme/1.0.0/", "/epr/acme_logs/acme_logs-1.1.0.zip/");
    }

    /** Paths no route of EPR's takes: gorilla's 404, whatever the method. */
    static Stream<String> noRoute() {
        return Stream.of("/nowhere", "/package/", "/package/acme_logs/", "/package/Acme/1.0.0", "/epr/acme_logs", "/epr/acme_logs/Acme-1.1.0.zip");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"routes", "noRoute"})
    void postIsAnsweredAsGet(String path) throws Exception {
        HttpResponse<byte[]> get = send("GET", path);
        HttpResponse<byte[]> post = send("POST", path);
        assertThat(post.statusCode()).as(path).isEqualTo(get.statusCode());
        if (get.statusCode() == 301) {
            // Go's http.Redirect writes its one-line page for GET and HEAD only.
            assertThat(post.body()).as(path).isEmpty();
            assertThat(post.headers().allValues("Location")).as(path).isEqualTo(get.headers().allValues("Location"));
        } else {
            assertThat(post.body()).as(path).isEqualTo(get.body());
            assertThat(post.headers().allValues("Content-Type")).as(path).isEqualTo(get.headers().allValues("Content-Type"));
        }
        for (String header : List.of("Cache-Control", "Access-Control-Allow-Origin")) {
            assertThat(post.headers().allValues(header)).as(path + " " + header).isEqualTo(get.headers().allValues(header));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void optionsSaysWhichMethodsTheRouteTakes(String path) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(epr.uri(path)).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://kibana.example").header("Access-Control-Request-Method", "GET").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(path).isEqualTo(204);
        assertThat(r.body()).as(path).isEmpty();
        assertThat(r.headers().allValues("Allow")).as(path).containsExactly(ALLOW);
        // What EPR's CORS middleware sets on every answer of its routes: a preflight passes as it does there.
        assertThat(r.headers().allValues("Access-Control-Allow-Origin")).as(path).containsExactly("*");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void aMethodThatWouldReadAsAChangeIs405WithAllow(String path) throws Exception {
        for (String method : List.of("PUT", "DELETE", "PATCH", "PROPFIND")) {
            HttpResponse<byte[]> r = send(method, path);
            assertThat(r.statusCode()).as(method + " " + path).isEqualTo(405);
            assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).as(method + " " + path).isEqualTo("Method Not Allowed\n");
            assertThat(r.headers().allValues("Allow")).as(method + " " + path).containsExactly(ALLOW);
            assertThat(r.headers().allValues("Content-Type")).as(method + " " + path).containsExactly("text/plain; charset=utf-8");
            assertThat(r.headers().allValues("Cache-Control")).as(method + " " + path).containsExactly("max-age=0", "private, no-store");
            assertThat(r.headers().allValues("Access-Control-Allow-Origin")).as(method + " " + path).containsExactly("*");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("noRoute")
    void aPathNoRouteTakesIs404WhateverTheMethod(String path) throws Exception {
        for (String method : List.of("OPTIONS", "PUT", "DELETE", "PROPFIND")) {
            HttpResponse<byte[]> r = send(method, path);
            assertThat(r.statusCode()).as(method + " " + path).isEqualTo(404);
            assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).as(method + " " + path).isEqualTo("404 page not found\n");
            assertThat(r.headers().allValues("Allow")).as(method + " " + path).isEmpty();
            assertThat(r.headers().allValues("Access-Control-Allow-Origin")).as(method + " " + path).isEmpty();
        }
    }

    private HttpResponse<byte[]> send(String method, String path) throws Exception {
        HttpRequest.BodyPublisher body = method.equals("GET") ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("x=1");
        return http.send(HttpRequest.newBuilder(epr.uri(path)).method(method, body).build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
