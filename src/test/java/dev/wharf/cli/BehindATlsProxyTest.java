package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.http.access.NewToken;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.NginxBalancer;
import dev.wharf.testing.OidcIssuer;
import dev.wharf.testing.Publishing;
import dev.wharf.testing.TestCertificates;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both servers behind nginx terminating TLS, as behind an ingress. With {@code --http-trust-forwarded}
 * boring-registry's OIDC sign-in sends the issuer the https callback the browser can come back to,
 * package-registry's sign-in form knows the browser's https origin for its own, and both cookies are
 * Secure; without it a server sees http and the upstream's name.
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
            assertThat(begun.headers().allValues("Set-Cookie")).singleElement().asString().startsWith("wharf_ui_login=").contains("Secure");

            // The default: the issuer would be asked to send the browser to plain http on a name only nginx knows.
            HttpResponse<String> unaware = signIn(browser, toPlain);
            assertThat(redirectUri(unaware)).isEqualTo("http://replicas/ui/sign-in/callback");
            assertThat(unaware.headers().allValues("Set-Cookie")).singleElement().asString().doesNotContain("Secure");
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
                    assertThat(posted.headers().allValues("Set-Cookie")).singleElement().asString().contains("Secure", "HttpOnly");
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
