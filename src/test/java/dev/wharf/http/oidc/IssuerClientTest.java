package dev.wharf.http.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.testing.ManualClock;
import dev.wharf.testing.OidcIssuer;
import dev.wharf.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An issuer behind a private CA, reached by trusting that CA from a PEM file beside the JDK's trust. */
class IssuerClientTest {
    private static final String AUDIENCE = "https://registry.acme.test";

    @TempDir
    Path dir;

    final TestCertificates.SelfSigned privateCa = TestCertificates.localhost();
    final ManualClock clock = new ManualClock(Instant.now());

    @Test
    void anIssuerWhoseCertificateTheCaFileHoldsIsTrusted() throws Exception {
        try (OidcIssuer issuer = OidcIssuer.startTls(privateCa)) {
            Path ca = Files.writeString(dir.resolve("ca.pem"), privateCa.certificatePem());
            IssuerTokens tokens = IssuerTokens.connect(issuer.issuer(), Optional.of(AUDIENCE), IssuerClient.trusting(Optional.of(ca)).get(),
                    clock, Duration.ofSeconds(30));
            assertThat(tokens.unreachable()).isEmpty();
            assertThat(tokens.verify(issuer.token("ci", AUDIENCE, Duration.ofMinutes(5))).getSubject()).isEqualTo("ci");
        }
    }

    @Test
    void withoutTheCaTheHandshakeFailureIsSaidWithTheFlagThatMendsIt() {
        try (OidcIssuer issuer = OidcIssuer.startTls(privateCa)) {
            IssuerTokens tokens = IssuerTokens.connect(issuer.issuer(), Optional.of(AUDIENCE), IssuerClient.trusting(Optional.empty()).get(),
                    clock, Duration.ofSeconds(30));
            // Not a failed start: an issuer's broken TLS is waited out like an issuer that is down.
            assertThat(tokens.unreachable()).contains("TLS handshake with the OIDC issuer at " + issuer.issuer())
                    .contains("--auth-oidc-ca-file");
            assertThatThrownBy(() -> tokens.verify(issuer.token("ci", AUDIENCE, Duration.ofMinutes(5))))
                    .isInstanceOf(TokenRejectedException.class).hasMessageContaining("TLS handshake");
        }
    }

    @Test
    void aCaFileMendedWhileServingIsTrustedAtTheNextQuestion() throws Exception {
        try (OidcIssuer issuer = OidcIssuer.startTls(privateCa)) {
            Path ca = Files.writeString(dir.resolve("ca.pem"), TestCertificates.localhost().certificatePem());
            IssuerTokens tokens = IssuerTokens.connect(issuer.issuer(), Optional.of(AUDIENCE), IssuerClient.trusting(Optional.of(ca)).get(),
                    clock, Duration.ofSeconds(30));
            String token = issuer.token("ci", AUDIENCE, Duration.ofMinutes(5));
            assertThatThrownBy(() -> tokens.verify(token)).hasMessageContaining("TLS handshake");

            Files.writeString(ca, privateCa.certificatePem());
            Files.setLastModifiedTime(ca, FileTime.from(Instant.now().plusSeconds(5)));
            clock.advance(IssuerDiscovery.RETRY.plusSeconds(1));
            assertThat(tokens.verify(token).getSubject()).isEqualTo("ci");
        }
    }

    @Test
    void aCaFileThatCannotBeReadIsRefusedNamingIt() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> IssuerClient.trusting(Optional.of(missing)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing.toString());
        Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
        assertThatThrownBy(() -> IssuerClient.trusting(Optional.of(empty)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty.pem");
    }

    @Test
    void theClientIsMadeOnceAndOnlyWhenAsked() {
        IssuerClient client = IssuerClient.trusting(Optional.empty());
        assertThat(client.get()).isSameAs(client.get());
    }
}
