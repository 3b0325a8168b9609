package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.cli.boring.EnvironmentDefaults;
import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.epr.TestPackages;
import dev.wharf.http.access.NewToken;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.Publishing;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Both launchers answer the request line's method whatever X-HTTP-Method-Override says, as the Go
 * servers do: a GET naming PUT must not publish past a proxy that lets only GET through.
 */
class MethodOverrideIgnoredTest {
    private static final String OVERRIDE = "X-HTTP-Method-Override";

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void boringRegistryAnswersAGetNamingPutOrDeleteAsTheGetItIsOnEveryListener() throws Exception {
        NewToken acme = Publishing.token("ci-acme", "publish:acme/*");
        NewToken reader = Publishing.token("reader", "read");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), acme, reader);
        Path archive = Publishing.moduleArchive(Path.of("examples/modules/hello").toAbsolutePath(), dir.resolve("hello.tar.gz"));
        ServerCommand command = new ServerCommand();
        new CommandLine(command).setDefaultValueProvider(new EnvironmentDefaults(Map.of())).parseArgs("--listen-address", "127.0.0.1:0",
                "--listen-telemetry-address", "127.0.0.1:0", "--storage-oci-layout-dir", dir.resolve("data").toString(),
                "--auth-tokens-file", tokens.toString());
        try (ServerCommand.Running server = command.start()) {
            URI base = URI.create("http://127.0.0.1:" + server.registry().port());
            URI module = base.resolve("/api/v1/modules/acme/x/aws/1.0.0");
            HttpResponse<String> smuggled = send(HttpRequest.newBuilder(module).header(OVERRIDE, "PUT")
                    .header("Authorization", "Bearer " + acme.token()).header("Content-Type", "application/gzip")
                    .method("GET", HttpRequest.BodyPublishers.ofFile(archive)));
            assertThat(smuggled.statusCode()).as(smuggled.body()).isEqualTo(405);
            assertThat(smuggled.body()).contains("GET is not allowed on /api/v1/modules/acme/x/aws/1.0.0");
            assertThat(server.store().listTags(TerraformLayout.under("boring-registry").moduleRepository("acme", "x", "aws"))).isEmpty();
            // Nothing was published by it: the real PUT is the first.
            assertThat(Publishing.put(http, module, acme.token(), "application/gzip", HttpRequest.BodyPublishers.ofFile(archive))
                    .statusCode()).isEqualTo(201);

            HttpResponse<String> versions = send(HttpRequest.newBuilder(base.resolve("/v1/modules/acme/x/aws/versions"))
                    .header(OVERRIDE, "DELETE").header("Authorization", "Bearer " + reader.token()));
            assertThat(versions.statusCode()).as(versions.body()).isEqualTo(200);
            assertThat(versions.body()).contains("1.0.0");

            int port = server.registry().port();
            String versionsPath = "/v1/modules/acme/x/aws/versions";
            assertHeadAnsweredAsHead(port, versionsPath, 200, "Authorization: Bearer " + reader.token());
            assertHeadAnsweredAsHead(port, "/api/v1/modules/acme/x/aws/1.0.1", -1, "Authorization: Bearer " + acme.token());
            assertHeadAnsweredAsHead(port, "/ui/sign-in", 200);
            assertUiAnsweredByTheMethodSent(base, reader.token(), "wharf_ui_token");

            HttpResponse<String> metrics = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.telemetry().port() + "/metrics"))
                    .header(OVERRIDE, "POST"));
            assertThat(metrics.statusCode()).isEqualTo(200);
            // Counted as what they were: the one publish a PUT, no GET answered as one.
            assertThat(metrics.body()).contains("http_request_total{code=\"201\",method=\"PUT\"} 1.0")
                    .doesNotContain("code=\"201\",method=\"GET\"").doesNotContain("method=\"DELETE\"");
        }
    }

    @Test
    void packageRegistryAnswersAGetNamingPutOrDeleteAsTheGetItIs() throws Exception {
        NewToken acme = Publishing.token("ci-acme", "publish:acme_*");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), acme);
        Path version = Files.list(TestPackages.source().resolve("acme_logs")).findFirst().orElseThrow();
        Path zip = dir.resolve("acme_logs.zip");
        TestPackages.zipFolder(version, "acme_logs-" + version.getFileName(), zip);
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"))) {
            int port = TestPorts.free();
            int metricsPort = TestPorts.free();
            try (WharfProcess server = WharfProcess.start(dir.resolve("work"), Map.of(), List.of("package-registry",
                    "-feature-oci-indexer", "-oci-registry", registry.host(), "-oci-repository", "epr/published", "-oci-insecure",
                    "-address", "127.0.0.1:" + port, "-metrics-address", "127.0.0.1:" + metricsPort, "-require-package-signatures=false",
                    "-log-type", "dev", "-oci-refresh-interval", "0", "-auth-tokens-file", tokens.toString()))) {
                URI base = URI.create("http://127.0.0.1:" + port);
                server.awaitReady(base.resolve("/health"), Duration.ofMinutes(1));
                URI publish = base.resolve("/api/v1/packages?refresh=true");
                URI search = base.resolve("/search?package=acme_logs&all=true");
                HttpResponse<String> smuggled = send(HttpRequest.newBuilder(publish).header(OVERRIDE, "PUT")
                        .header("Authorization", "Bearer " + acme.token()).header("Content-Type", "application/zip")
                        .method("GET", HttpRequest.BodyPublishers.ofFile(zip)));
                assertThat(smuggled.statusCode()).as(smuggled.body()).isEqualTo(404);
                HttpResponse<String> nothing = send(HttpRequest.newBuilder(search).header(OVERRIDE, "DELETE"));
                assertThat(nothing.statusCode()).as(nothing.body()).isEqualTo(200);
                assertThat(nothing.body()).doesNotContain("acme_logs");

                HttpResponse<String> created = Publishing.put(http, publish, acme.token(), "application/zip",
                        HttpRequest.BodyPublishers.ofFile(zip));
                assertThat(created.statusCode()).as(created.body() + server.output()).isEqualTo(201);
                HttpResponse<String> found = send(HttpRequest.newBuilder(search).header(OVERRIDE, "PUT"));
                assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
                assertThat(found.body()).contains("\"name\": \"acme_logs\"");

                String packagePath = "/package/acme_logs/" + version.getFileName() + "/";
                assertHeadAnsweredAsHead(port, "/search?package=acme_logs&all=true", 200);
                assertHeadAnsweredAsHead(port, packagePath, 200);
                assertHeadAnsweredAsHead(port, "/api/v1/packages", -1, "Authorization: Bearer " + acme.token());
                assertHeadAnsweredAsHead(port, "/ui/sign-in", 200);
                assertUiAnsweredByTheMethodSent(base, acme.token(), "wharf_epr_ui_token");

                HttpResponse<String> metrics = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                        .header(OVERRIDE, "DELETE"));
                assertThat(metrics.statusCode()).isEqualTo(200);
            }
        }
    }

    /**
     * A HEAD naming GET or PUT gets the answer a plain HEAD gets (its status, {@code expected} unless
     * -1, and Content-Type), and no body: read off the socket, since a client reading a HEAD's answer
     * would not read a body sent by mistake.
     */
    private static void assertHeadAnsweredAsHead(int port, String path, int expected, String... headers) throws Exception {
        RawAnswer plain = raw(port, "HEAD", path, headers);
        assertThat(plain.body()).as("HEAD %s without the header", path).isEmpty();
        if (expected != -1) {
            assertThat(plain.statusLine()).as(path).contains(" " + expected + " ");
        }
        for (String override : List.of("GET", "PUT")) {
            List<String> with = new ArrayList<>(List.of(headers));
            with.add(OVERRIDE + ": " + override);
            RawAnswer answer = raw(port, "HEAD", path, with.toArray(String[]::new));
            assertThat(answer.statusLine()).as("HEAD %s naming %s", path, override).isEqualTo(plain.statusLine());
            assertThat(answer.header("content-type")).as("HEAD %s naming %s", path, override).isEqualTo(plain.header("content-type"));
            assertThat(answer.body()).as("HEAD %s naming %s", path, override).isEmpty();
        }
    }

    /**
     * The UI's sign-in page answers the method sent: a GET naming POST gets the form, not a sign-in; a
     * POST naming GET signs in (a cookie and a redirect), not the form.
     */
    private void assertUiAnsweredByTheMethodSent(URI base, String token, String cookie) throws Exception {
        HttpClient noRedirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> form = noRedirects.send(HttpRequest.newBuilder(base.resolve("/ui/sign-in")).header(OVERRIDE, "POST")
                .header("Origin", base.toString().replaceAll("/$", "")).header("Content-Type", "application/x-www-form-urlencoded")
                .method("GET", HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                        + "&next=%2Fui%2F")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).as(form.body()).isEqualTo(200);
        assertThat(form.body()).contains("<form");
        assertThat(form.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> signedIn = noRedirects.send(HttpRequest.newBuilder(base.resolve("/ui/sign-in")).header(OVERRIDE, "GET")
                .header("Origin", base.toString().replaceAll("/$", "")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                        + "&next=%2Fui%2F")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
        assertThat(signedIn.headers().firstValue("Location")).hasValue("/ui/");
        assertThat(signedIn.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).startsWith(cookie + "="));

        // A page behind the sign-in, asked with GET naming POST: the page, as a GET.
        HttpResponse<String> page = noRedirects.send(HttpRequest.newBuilder(base.resolve("/ui/")).header(OVERRIDE, "POST")
                .header("Cookie", cookie + "=" + URLEncoder.encode(token, StandardCharsets.UTF_8)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("<html");
    }

    private record RawAnswer(String statusLine, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.getOrDefault(name, "");
        }
    }

    /** One request on its own connection, closed by the server after the answer; everything it sent, split at the head's end. */
    private static RawAnswer raw(int port, String method, String path, String... headers) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            request.append("Connection: close\r\n\r\n");
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            byte[] all = socket.getInputStream().readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            assertThat(end).as(text).isPositive();
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> fields = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                fields.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new RawAnswer(lines[0], fields, Arrays.copyOfRange(all, end + 4, all.length));
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
