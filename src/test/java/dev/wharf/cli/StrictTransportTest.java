package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.testing.TestCertificates;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HSTS: every answer of both servers to a request that came over TLS (their own, or a trusted proxy's
 * X-Forwarded-Proto) says Strict-Transport-Security: max-age=31536000, the API's and the UI's, a repeat answered
 * from memory, an error and the throttle's 429 alike; never an answer over plain http; none with --http-hsts=false.
 */
class StrictTransportTest {
    private static final String HSTS = "max-age=31536000";
    private static final String TOKEN = "the-right-token";

    @TempDir
    Path dir;

    @Test
    void boringRegistrySaysItOnEveryAnswerOverTlsAndNeverOverPlainHttp() throws Exception {
        InProcessRegistry.uploadExampleModule(dir.resolve("data"));
        TestCertificates.SelfSigned certificate = TestCertificates.localhost();
        Path cert = certificate.writePem(dir.resolve("tls"));
        HttpClient browser = HttpClient.newBuilder().sslContext(certificate.trustingContext()).build();
        List<String> paths = List.of("/.well-known/terraform.json", "/v1/modules/example/hello/null/versions", "/ui/", "/ui/static/ui.css",
                "/v1/nothing-here");
        try (ServerCommand.Running tls = InProcessRegistry.start(dir.resolve("data"), Map.of(), "--auth-static-token", TOKEN,
                "--auth-max-failures", "1", "--tls-cert-file", cert.toString(), "--tls-key-file", cert.resolveSibling("key.pem").toString())) {
            URI base = tls.registry().localUri();
            assertThat(base.getScheme()).isEqualTo("https");
            for (String path : paths) {
                // Twice: the second may be a ready answer, written in front of the router.
                for (int i = 0; i < 2; i++) {
                    HttpResponse<String> answer = send(browser, base.resolve(path), Map.of("Authorization", "Bearer " + TOKEN,
                            "Cookie", "__Secure-wharf_ui_token=" + TOKEN));
                    assertThat(answer.headers().allValues("Strict-Transport-Security")).as(path + " " + answer.statusCode())
                            .containsExactly(HSTS);
                }
            }
            assertThat(send(browser, base.resolve(paths.get(1)), Map.of("Authorization", "Bearer wrong")).statusCode()).isEqualTo(401);
            HttpResponse<String> throttled = send(browser, base.resolve(paths.get(1)), Map.of("Authorization", "Bearer " + TOKEN));
            assertThat(throttled.statusCode()).isEqualTo(429);
            assertThat(throttled.headers().allValues("Strict-Transport-Security")).containsExactly(HSTS);
        }
        try (ServerCommand.Running plain = InProcessRegistry.start(dir.resolve("data"), Map.of(), "--auth-static-token", TOKEN,
                "--http-trust-forwarded", "--http-trusted-proxies", "127.0.0.1")) {
            HttpClient http = HttpClient.newHttpClient();
            URI base = plain.registry().localUri();
            for (String path : paths) {
                for (int i = 0; i < 2; i++) {
                    assertThat(send(http, base.resolve(path), Map.of("Authorization", "Bearer " + TOKEN)).headers()
                            .allValues("Strict-Transport-Security")).as(path).isEmpty();
                }
                // Behind a TLS-terminating proxy it trusts, the browser's connection was TLS.
                assertThat(send(http, base.resolve(path), Map.of("Authorization", "Bearer " + TOKEN, "X-Forwarded-Proto", "https")).headers()
                        .allValues("Strict-Transport-Security")).as(path).containsExactly(HSTS);
            }
        }
        try (ServerCommand.Running off = InProcessRegistry.start(dir.resolve("data"), Map.of("BORING_REGISTRY_HTTP_HSTS", "false"),
                "--tls-cert-file", cert.toString(), "--tls-key-file", cert.resolveSibling("key.pem").toString())) {
            for (String path : paths) {
                assertThat(send(browser, off.registry().localUri().resolve(path), Map.of()).headers().allValues("Strict-Transport-Security"))
                        .as(path).isEmpty();
            }
        }
    }

    @Test
    void packageRegistrySaysItOverTlsUnlessTurnedOff() throws Exception {
        TestCertificates.SelfSigned certificate = TestCertificates.localhost();
        Path cert = certificate.writePem(dir.resolve("tls"));
        HttpClient browser = HttpClient.newBuilder().sslContext(certificate.trustingContext()).build();
        dev.wharf.epr.TestPackages.copyTree(dev.wharf.epr.TestPackages.source().resolve("acme_logs/1.0.0"),
                dir.resolve("packages/acme_logs/1.0.0"));
        Path config = Files.writeString(dir.resolve("config.yml"), "package_paths: [" + dir.resolve("packages") + "]\n");
        for (boolean on : List.of(true, false)) {
            int port = TestPorts.free();
            List<String> args = new java.util.ArrayList<>(List.of("package-registry", "-address", "127.0.0.1:" + port,
                    "-metrics-address", "127.0.0.1:" + TestPorts.free(), "-config", config.toString(), "-require-package-signatures=false",
                    "-tls-cert", cert.toString(), "-tls-key", cert.resolveSibling("key.pem").toString()));
            if (!on) {
                args.add("-http-hsts=false");
            }
            try (WharfProcess server = WharfProcess.start(dir.resolve("work-" + on), Map.of(), args)) {
                URI base = URI.create("https://localhost:" + port);
                server.awaitReady(base.resolve("/health"), Duration.ofMinutes(1), browser);
                for (String path : List.of("/", "/search", "/search", "/ui/", "/ui/", "/nothing-here")) {
                    assertThat(send(browser, base.resolve(path), Map.of()).headers().allValues("Strict-Transport-Security")).as(path)
                            .isEqualTo(on ? List.of(HSTS) : List.of());
                }
            }
        }
    }

    private static HttpResponse<String> send(HttpClient client, URI uri, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
