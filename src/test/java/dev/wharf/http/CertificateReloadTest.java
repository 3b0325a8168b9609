package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.wharf.testing.LogCapture;
import dev.wharf.testing.TestCertificates;
import dev.wharf.testing.TestCertificates.SelfSigned;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A renewed certificate is served without a restart; a pair caught half-renewed never is. */
class CertificateReloadTest {
    @TempDir
    Path dir;

    @Test
    void aRenewalIsServedOnceBothFilesAreWrittenAndTheHalfWrittenPairIsNot() throws Exception {
        SelfSigned first = TestCertificates.localhost();
        SelfSigned renewed = TestCertificates.localhostUntil(Instant.now().plus(Duration.ofDays(90)));
        Path cert = first.writePem(dir);
        Path key = dir.resolve("key.pem");
        SSLContext trustingBoth = trusting(first, renewed);
        try (WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"),
                Optional.of(new TlsFiles(cert, key, Optional.empty(), Duration.ofMillis(50))), cfg -> cfg.routes.get("/", ctx -> ctx.result("ok")));
             LogCapture log = LogCapture.of(CertificateReload.class.getName())) {
            assertThat(served(trustingBoth, server.port())).isEqualTo(first.certificate());
            assertThat(server.certificateNotAfter()).hasValue(first.certificate().getNotAfter().toInstant());

            // certbot writes the certificate, then the key: between the two the pair does not match.
            Files.writeString(cert, renewed.certificatePem(), StandardCharsets.US_ASCII);
            await(() -> !log.lines(Level.WARN).isEmpty());
            assertThat(log.lines(Level.WARN)).singleElement().asString()
                    .contains("the key in " + key + " is not the key of the first certificate in " + cert,
                            "the certificate served so far stays until the files change again");
            assertThat(served(trustingBoth, server.port())).isEqualTo(first.certificate());

            Files.writeString(key, renewed.privateKeyPem(), StandardCharsets.US_ASCII);
            await(() -> served(trustingBoth, server.port()).equals(renewed.certificate()));
            assertThat(log.lines(Level.INFO)).last().asString().contains("TLS certificate reloaded from " + cert, "CN=localhost", "valid until");
            assertThat(server.certificateNotAfter()).as("what the metrics show").hasValue(renewed.certificate().getNotAfter().toInstant());
            assertThat(log.lines(Level.WARN)).hasSize(1);
        }
    }

    @Test
    void aKeyThatIsNotTheCertificatesFailsTheStartWithBothFilesNamed() throws Exception {
        Path cert = TestCertificates.localhost().writePem(dir);
        Path key = dir.resolve("key.pem");
        Files.writeString(key, TestCertificates.localhost().privateKeyPem(), StandardCharsets.US_ASCII);
        // It had started, and every handshake then failed.
        assertThatThrownBy(() -> WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.of(new TlsFiles(cert, key, Optional.empty())),
                cfg -> { }).close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the key in " + key + " is not the key of the first certificate in " + cert);
    }

    @Test
    void aCertificateNearItsEndOrPastItIsSaidOnceAtStart() throws Exception {
        for (var expected : Map.of(Duration.ofDays(3), "expires at", Duration.ofDays(-1), "expired at").entrySet()) {
            Path folder = Files.createDirectories(dir.resolve("in-" + expected.getKey().toDays()));
            Path cert = TestCertificates.localhostUntil(Instant.now().plus(expected.getKey())).writePem(folder);
            try (LogCapture log = LogCapture.of(CertificateReload.class.getName());
                 WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"),
                         Optional.of(new TlsFiles(cert, folder.resolve("key.pem"), Optional.empty(), Duration.ofMillis(20))), cfg -> { })) {
                // Several looks later, still the one line.
                await(() -> !log.lines(Level.WARN).isEmpty());
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
                assertThat(log.lines(Level.WARN)).as(expected.toString()).singleElement().asString()
                        .contains("the TLS certificate in " + cert + " " + expected.getValue());
            }
        }
    }

    /** The certificate a new connection is shown. */
    private static Certificate served(SSLContext context, int port) {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return socket.getSession().getPeerCertificates()[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SSLContext trusting(SelfSigned... certificates) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < certificates.length; i++) {
            trust.setCertificateEntry("test-" + i, certificates[i].certificate());
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
