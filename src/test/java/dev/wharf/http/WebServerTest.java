package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebServerTest {
    @TempDir
    Path dir;

    @Test
    void servesPlainHttpOnAFreePort() throws Exception {
        try (WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(),
                cfg -> cfg.routes.get("/hello", ctx -> ctx.result("hi")))) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(server.localUri().resolve("/hello")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("hi");
            assertThat(server.localUri().getScheme()).isEqualTo("http");
        }
    }

    /** Every GET route answers HEAD as GET, status and headers, unless it has a HEAD route of its own. */
    @Test
    void headRunsTheGetRouteUnlessThePathHasItsOwn() throws Exception {
        try (WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), cfg -> {
            cfg.routes.get("/things/{id}", ctx -> {
                boolean known = ctx.pathParam("id").equals("known");
                ctx.status(known ? 200 : 404).header("X-Thing", ctx.pathParam("id")).contentType("application/json")
                        .result(known ? "{\"id\":\"known\"}" : "{\"errors\":[\"no such thing\"]}");
            });
            cfg.routes.get("/own", ctx -> ctx.result("from GET"));
            cfg.routes.head("/own", ctx -> ctx.status(204).header("X-Head", "own"));
        })) {
            HttpClient http = HttpClient.newHttpClient();
            for (String id : new String[] {"known", "unknown"}) {
                HttpResponse<String> head = http.send(HttpRequest.newBuilder(server.localUri().resolve("/things/" + id))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> get = http.send(HttpRequest.newBuilder(server.localUri().resolve("/things/" + id)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(head.statusCode()).isEqualTo(get.statusCode()).isEqualTo(id.equals("known") ? 200 : 404);
                assertThat(head.headers().firstValue("X-Thing")).hasValue(id);
                assertThat(head.headers().firstValue("Content-Type")).isEqualTo(get.headers().firstValue("Content-Type"));
                assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(get.body().length());
                assertThat(head.body()).isEmpty();
            }
            HttpResponse<String> own = http.send(HttpRequest.newBuilder(server.localUri().resolve("/own"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(own.statusCode()).isEqualTo(204);
            assertThat(own.headers().firstValue("X-Head")).hasValue("own");
        }
    }

    @Test
    void servesTlsFromPemFilesAndNothingElseOnThatPort() throws Exception {
        X509Certificate certificate = writeSelfSigned();
        try (WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"),
                TlsFiles.of(dir.resolve("cert.pem"), dir.resolve("key.pem"), "1.2"),
                cfg -> cfg.routes.get("/hello", ctx -> ctx.result(ctx.scheme())))) {
            URI uri = server.localUri().resolve("/hello");
            assertThat(uri.getScheme()).isEqualTo("https");
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(certificate)).build();
            HttpResponse<String> response = trusting.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("https");

            URI plain = URI.create("http://127.0.0.1:" + server.port() + "/hello");
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(plain).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isInstanceOf(IOException.class);
        }
    }

    @Test
    void trustsTheProxysSchemeAndHostOnlyWhenToldAndNeverTheClientAddressItForwards() throws Exception {
        for (boolean trust : new boolean[] {true, false}) {
            try (WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), Optional.empty(),
                    RequestObserver.NONE, new ServerLimits(ServerLimits.DEFAULT_IDLE_TIMEOUT, 100, trust),
                    cfg -> cfg.routes.get("/seen", ctx -> ctx.result(ctx.ip() + " " + ctx.scheme() + " " + ctx.req().getServerName()
                            + " " + ctx.req().getServerPort())))) {
                HttpResponse<String> seen = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.localUri().resolve("/seen"))
                        .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "registry.example.org")
                        .header("X-Forwarded-Port", "443").header("X-Forwarded-For", "203.0.113.9")
                        .header("Forwarded", "for=198.51.100.1").build(), HttpResponse.BodyHandlers.ofString());
                assertThat(seen.body()).as("trusted: " + trust).isEqualTo(trust ? "127.0.0.1 https registry.example.org 443"
                        : "127.0.0.1 http 127.0.0.1 " + server.port());
            }
        }
    }

    /** Only X-Forwarded-Proto, -Host and -Port are read: Jetty's other forwarding headers would let a client name the server or claim https. */
    @Test
    void readsNoForwardingHeaderButTheDocumentedOnes() throws Exception {
        try (WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), Optional.empty(),
                RequestObserver.NONE, new ServerLimits(ServerLimits.DEFAULT_IDLE_TIMEOUT, 100, true),
                cfg -> cfg.routes.get("/seen", ctx -> ctx.result(ctx.scheme() + " " + ctx.req().getServerName() + " " + ctx.req().isSecure())))) {
            Map<String, String> claims = Map.of("X-Forwarded-Server", "evil.example", "X-Proxied-Https", "on", "Proxy-ssl-id", "abc",
                    "Proxy-auth-cert", "abc");
            for (Map.Entry<String, String> claim : claims.entrySet()) {
                HttpResponse<String> seen = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.localUri().resolve("/seen"))
                        .header(claim.getKey(), claim.getValue()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(seen.body()).as(claim.getKey()).isEqualTo("http 127.0.0.1 false");
            }
        }
    }

    /**
     * With trusted proxies the routes and the exchange observers (the access log) see the client
     * X-Forwarded-For names behind a trusted peer; an untrusted peer (a client reaching the server
     * directly) is taken as it is, claims of scheme and host included.
     */
    @Test
    void takesTheClientAddressFromTrustedProxiesOnly() throws Exception {
        for (String trusted : List.of("127.0.0.1", "10.0.0.0/8")) {
            List<Exchange> exchanges = new CopyOnWriteArrayList<>();
            ServerLimits limits = new ServerLimits(ServerLimits.DEFAULT_IDLE_TIMEOUT, 100, true, TrustedProxies.of(List.of(trusted)));
            try (WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), Optional.empty(),
                    RequestObserver.NONE, List.of(exchanges::add), limits,
                    cfg -> cfg.routes.get("/seen", ctx -> ctx.result(ctx.ip() + " " + ctx.scheme())))) {
                HttpResponse<String> seen = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.localUri().resolve("/seen"))
                        .header("X-Forwarded-Proto", "https").header("X-Forwarded-For", "203.0.113.66, 198.51.100.7").build(),
                        HttpResponse.BodyHandlers.ofString());
                String expected = trusted.equals("127.0.0.1") ? "198.51.100.7 https" : "127.0.0.1 http";
                assertThat(seen.body()).as("trusting " + trusted).isEqualTo(expected);
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
                while (exchanges.isEmpty() && System.nanoTime() < deadline) {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
                assertThat(exchanges).singleElement().extracting(Exchange::clientAddress).isEqualTo(expected.split(" ")[0]);
            }
        }
    }

    @Test
    void refusesHalfATlsConfiguration() {
        assertThatThrownBy(() -> TlsFiles.of(dir.resolve("cert.pem"), null, null))
                .hasMessageContaining("both a certificate file and a key file");
    }

    @Test
    void parsesGoStyleListenAddresses() {
        assertThat(ListenAddress.parse(":5601")).isEqualTo(new ListenAddress("0.0.0.0", 5601));
        assertThat(ListenAddress.parse("localhost:8080")).isEqualTo(new ListenAddress("localhost", 8080));
        assertThat(ListenAddress.parse("[::1]:80")).isEqualTo(new ListenAddress("::1", 80));
        assertThatThrownBy(() -> ListenAddress.parse("localhost")).hasMessageContaining("no port");
        assertThatThrownBy(() -> ListenAddress.parse("a:99999")).hasMessageContaining("out of range");
    }

    private X509Certificate writeSelfSigned() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=wharf-test");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)), name, pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        try (JcaPEMWriter cert = new JcaPEMWriter(Files.newBufferedWriter(dir.resolve("cert.pem")));
                JcaPEMWriter key = new JcaPEMWriter(Files.newBufferedWriter(dir.resolve("key.pem")))) {
            cert.writeObject(certificate);
            key.writeObject(new JcaPKCS8Generator(pair.getPrivate(), null));
        }
        return certificate;
    }

    private static SSLContext trusting(X509Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("test", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
