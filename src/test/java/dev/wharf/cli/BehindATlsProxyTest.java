package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.http.AccessLog;
import dev.wharf.http.access.NewToken;
import dev.wharf.http.access.PublishAudit;
import dev.wharf.testing.LogCapture;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.NginxBalancer;
import dev.wharf.testing.OidcIssuer;
import dev.wharf.testing.Publishing;
import dev.wharf.testing.TestCertificates;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both servers behind nginx terminating TLS, as behind an ingress. With {@code --http-trust-forwarded}
 * boring-registry's OIDC sign-in sends the issuer the https callback the browser can come back to,
 * package-registry's sign-in form knows the browser's https origin for its own, and both cookies are
 * Secure; without it a server sees http and the upstream's name. With {@code --http-trusted-proxies}
 * the client's address is the one nginx saw.
 */
class BehindATlsProxyTest {
    @TempDir
    Path dir;

    @Test
    void theOidcRedirectAndTheCookieSayHttpsAndTheHostTheBrowserUsed() throws Exception {
        TestCertificates.SelfSigned certificate = TestCertificates.localhost();
        Path cert = certificate.writePem(dir.resolve("tls"));
        HttpClient browser = HttpClient.newBuilder().sslContext(certificate.trustingContext()).build();
        try (OidcIssuer issuer = OidcIssuer.start();
             ServerCommand.Running trusting = start(issuer, Map.of("BORING_REGISTRY_HTTP_TRUST_FORWARDED", "true"));
             ServerCommand.Running plain = start(issuer, Map.of());
             NginxBalancer toTrusting = NginxBalancer.startTlsTerminating(dir.resolve("nginx-a"), List.of(trusting.registry().port()),
                     cert, cert.resolveSibling("key.pem"));
             NginxBalancer toPlain = NginxBalancer.startTlsTerminating(dir.resolve("nginx-b"), List.of(plain.registry().port()),
                     cert, cert.resolveSibling("key.pem"))) {
            HttpResponse<String> begun = signIn(browser, toTrusting);
            assertThat(begun.statusCode()).as(begun.body()).isEqualTo(303);
            assertThat(redirectUri(begun)).isEqualTo(toTrusting.url() + "/ui/sign-in/callback");
            assertThat(begun.headers().allValues("Set-Cookie")).singleElement().asString().startsWith("__Secure-wharf_ui_login=").contains("Secure");

            // The default: the issuer would be asked to send the browser to plain http on a name only nginx knows.
            HttpResponse<String> unaware = signIn(browser, toPlain);
            assertThat(redirectUri(unaware)).isEqualTo("http://replicas/ui/sign-in/callback");
            assertThat(unaware.headers().allValues("Set-Cookie")).singleElement().asString().doesNotContain("Secure");
        }
    }

    /**
     * A client on 127.0.0.2 publishes through nginx on 127.0.0.1, naming a made-up address in its own
     * X-Forwarded-For. Trusting nginx's address, the publish audit and the access log name the client;
     * by default they name nginx; neither ever takes the address the client wrote.
     */
    @Test
    void thePublishAuditAndTheAccessLogNameTheClientBehindATrustedProxy() throws Exception {
        TestCertificates.SelfSigned certificate = TestCertificates.localhost();
        Path cert = certificate.writePem(dir.resolve("tls"));
        NewToken ci = Publishing.token("ci-acme", "publish:acme/*");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), ci);
        byte[] module = Files.readAllBytes(Publishing.moduleArchive(Path.of("examples/modules/hello").toAbsolutePath(),
                dir.resolve("hello.tar.gz")));
        for (boolean trusting : List.of(true, false)) {
            List<String> flags = new ArrayList<>(List.of("--auth-tokens-file", tokens.toString()));
            if (trusting) {
                flags.addAll(List.of("--http-trusted-proxies", "10.0.0.0/8,127.0.0.1"));
            }
            try (ServerCommand.Running server = InProcessRegistry.start(dir.resolve("data-" + trusting), flags.toArray(String[]::new));
                 NginxBalancer proxy = NginxBalancer.startTlsTerminating(dir.resolve("nginx-publish-" + trusting),
                         List.of(server.registry().port()), cert, cert.resolveSibling("key.pem"));
                 LogCapture audit = LogCapture.of(PublishAudit.LOGGER);
                 LogCapture access = LogCapture.of(AccessLog.LOGGER)) {
                String answer = sendFrom("127.0.0.2", URI.create(proxy.url()), certificate.trustingContext(),
                        "PUT /api/v1/modules/acme/hello/aws/1.0.0", Map.of("Authorization", "Bearer " + ci.token(),
                                "Content-Type", "application/gzip", "X-Forwarded-For", "203.0.113.66"), module);
                assertThat(answer).as(answer).startsWith("HTTP/1.1 201");
                String client = trusting ? "127.0.0.2" : "127.0.0.1";
                assertThat(audit.lines(Level.INFO)).singleElement().asString().contains("by ci-acme from " + client + ":")
                        .doesNotContain("203.0.113.66");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (access.lines(Level.INFO).isEmpty() && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
                assertThat(access.lines(Level.INFO)).singleElement().asString().contains("PUT ", "ms " + client + " ")
                        .doesNotContain("203.0.113.66");
            }
        }
    }

    /** One request over its own TLS connection from {@code local}, which HttpClient cannot choose on JDK 17: the answer whole. */
    private static String sendFrom(String local, URI server, SSLContext trust, String requestLine, Map<String, String> headers,
            byte[] body) throws Exception {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(local, 0));
        socket.connect(new InetSocketAddress(server.getHost(), server.getPort()), 5_000);
        try (SSLSocket tls = (SSLSocket) trust.getSocketFactory().createSocket(socket, server.getHost(), server.getPort(), true)) {
            StringBuilder head = new StringBuilder(requestLine + " HTTP/1.1\r\nHost: " + server.getAuthority()
                    + "\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            OutputStream out = tls.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return new String(tls.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void packageRegistrysSignInFormTakesItsOwnHttpsOriginAndSetsASecureCookie() throws Exception {
        try (DockerRegistryServer registry = DockerRegistryServer.anonymous(dir.resolve("registry"))) {
            signInThroughTheProxy(registry);
        }
    }

    private void signInThroughTheProxy(DockerRegistryServer registry) throws Exception {
        TestCertificates.SelfSigned certificate = TestCertificates.localhost();
        Path cert = certificate.writePem(dir.resolve("tls"));
        NewToken reader = Publishing.token("reader", "read");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), reader);
        HttpClient browser = HttpClient.newBuilder().sslContext(certificate.trustingContext()).build();
        for (boolean trusted : List.of(true, false)) {
            int port = TestPorts.free();
            List<String> args = new ArrayList<>(List.of("package-registry", "-feature-oci-indexer", "-oci-registry", registry.host(),
                    "-oci-repository", "epr/packages", "-oci-insecure", "-address", "127.0.0.1:" + port,
                    "-require-package-signatures=false", "-auth-tokens-file", tokens.toString()));
            if (trusted) {
                args.add("-http-trust-forwarded");
            }
            try (WharfProcess server = WharfProcess.start(dir.resolve("epr-" + trusted), Map.of(), args);
                 NginxBalancer proxy = NginxBalancer.startTlsTerminating(dir.resolve("nginx-" + trusted), List.of(port),
                         cert, cert.resolveSibling("key.pem"))) {
                server.awaitReady(URI.create("http://127.0.0.1:" + port + "/health"), Duration.ofMinutes(1));
                // A browser that sends Origin and not Sec-Fetch-Site, whose same-origin check rests on the server knowing its origin.
                HttpResponse<String> posted = browser.send(HttpRequest.newBuilder(URI.create(proxy.url() + "/ui/sign-in"))
                        .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", proxy.url())
                        .POST(HttpRequest.BodyPublishers.ofString("next=%2Fui%2F&token=" + reader.token())).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (trusted) {
                    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(303);
                    assertThat(posted.headers().allValues("Set-Cookie")).singleElement().asString().startsWith("__Secure-wharf_epr_ui_token=")
                            .contains("Secure", "HttpOnly");
                } else {
                    // The server saw http://replicas: the browser's own https origin looked like another site's.
                    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(403);
                    assertThat(posted.body()).contains("sent from another site (Origin: " + proxy.url() + ")");
                }
            }
        }
    }

    private static HttpResponse<String> signIn(HttpClient browser, NginxBalancer proxy) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(proxy.url() + "/ui/sign-in/oidc?next=%2Fui%2F")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String redirectUri(HttpResponse<String> begun) {
        String location = begun.headers().firstValue("Location").orElseThrow();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            if (pair.startsWith("redirect_uri=")) {
                return URLDecoder.decode(pair.substring("redirect_uri=".length()), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no redirect_uri in " + location);
    }

    /** With the flag's variable, as an operator's manifest sets it: the flag itself is package-registry's test above. */
    private ServerCommand.Running start(OidcIssuer issuer, Map<String, String> environment) {
        return InProcessRegistry.start(dir.resolve("data"), environment, "--auth-oidc-issuer", issuer.issuer().toString(),
                "--auth-oidc-clientid", "wharf-ui");
    }
}
