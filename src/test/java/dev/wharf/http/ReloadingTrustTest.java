package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.wharf.testing.LogCapture;
import dev.wharf.testing.TestCertificates;
import dev.wharf.testing.TestCertificates.SelfSigned;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CA file of {@code --storage-oci-ca-file} (and of the mirror's upstreams) is what each new
 * connection trusts, as it is now: a CA added is trusted without a restart, one removed no longer
 * is, and a file that does not load leaves the last good trust in force.
 */
class ReloadingTrustTest {
    @TempDir
    Path dir;

    @Test
    void eachNewConnectionTrustsWhatTheCaFileHoldsNow() throws Exception {
        SelfSigned registry = TestCertificates.localhost();
        SelfSigned elsewhere = TestCertificates.server("elsewhere.example", List.of("elsewhere.example"), List.of());
        Path served = registry.writePem(dir.resolve("server"));
        Path caFile = dir.resolve("ca.pem");
        Files.writeString(caFile, elsewhere.certificatePem(), StandardCharsets.US_ASCII);
        SSLContext trust = TrustedCertificates.withExtra(List.of(caFile));
        try (WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"),
                TlsFiles.of(served, served.resolveSibling("key.pem"), null), cfg -> cfg.routes.get("/", ctx -> ctx.result("ok")));
             LogCapture log = LogCapture.of(ReloadingTrustManager.class.getName())) {
            assertThatThrownBy(() -> get(trust, server)).hasCauseInstanceOf(SSLHandshakeException.class);

            // The rotation's first step: the new CA joins the bundle, swapped in as a Kubernetes secret is.
            replace(caFile, elsewhere.certificatePem() + registry.certificatePem());
            assertThat(get(trust, server)).isEqualTo("ok");
            assertThat(log.lines(Level.INFO)).singleElement().asString().contains("CA certificates reloaded from [" + caFile + "]");
            assertThat(get(trust, server)).as("a session resumed").isEqualTo("ok");

            // Caught mid-write: said once, and the trust of before stays.
            Files.writeString(caFile, registry.certificatePem().substring(0, 100), StandardCharsets.US_ASCII);
            assertThat(get(trust, server)).isEqualTo("ok");
            assertThat(get(trust, server)).isEqualTo("ok");
            assertThat(log.lines(Level.WARN)).singleElement().asString()
                    .contains(caFile.toString(), "the CA certificates trusted so far stay until the file changes again");

            // The old CA's removal, and this one's: no session resumed from before may skip the check.
            replace(caFile, elsewhere.certificatePem());
            assertThatThrownBy(() -> get(trust, server)).hasCauseInstanceOf(SSLHandshakeException.class);
            assertThat(log.lines(Level.INFO)).filteredOn(line -> line.startsWith("INFO")).hasSize(2);
        }
    }

    @Test
    void aFileThatDoesNotLoadAtStartIsRefusedThen() throws Exception {
        Path caFile = Files.writeString(dir.resolve("ca.pem"), "not a certificate", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> TrustedCertificates.withExtra(List.of(caFile))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(caFile.toString());
        assertThatThrownBy(() -> TrustedCertificates.withExtra(List.of(dir.resolve("missing.pem"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.pem");
    }

    /** A fresh client each time: a new connection, whose handshake may resume a session of the context's. */
    private static String get(SSLContext trust, WebServer server) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trust).build();
        return client.send(HttpRequest.newBuilder(server.localUri().resolve("/")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private void replace(Path file, String content) throws Exception {
        Path next = Files.writeString(dir.resolve("next.pem"), content, StandardCharsets.US_ASCII);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
