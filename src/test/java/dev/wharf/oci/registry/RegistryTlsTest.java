package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Layer;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.TestCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-registry serving TLS with a self-signed certificate (SAN 127.0.0.1 and localhost): refused
 * without insecure mode, with the hint; accepted in insecure mode; accepted without it when the
 * certificate is trusted. Also insecure mode's fall-back to plain HTTP.
 */
class RegistryTlsTest {
    private static Path dir;
    private static DockerRegistryServer tls;
    private static DockerRegistryServer plain;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("wharf-registry-tls");
        tls = DockerRegistryServer.builder(dir.resolve("tls")).tls().basicAuth("tess", "tls-password").start();
        plain = DockerRegistryServer.anonymous(dir.resolve("plain"));
    }

    @AfterAll
    static void stop() {
        if (tls != null) {
            tls.close();
        }
        if (plain != null) {
            plain.close();
        }
        TestFiles.deleteQuietly(dir);
    }

    private static final CredentialSource TESS = CredentialSource.fixed(new Credentials.Basic("tess", "tls-password"), "test flags");

    private static Artifact artifact() {
        return Artifact.single("application/vnd.wharf.test.v1",
                Layer.file("text/plain", "f.txt", BlobSource.ofBytes("over tls".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void untrustedCertificateIsRefusedWithTheInsecureHint() {
        RegistryArtifactStore store = RegistryTestStores.with(tls.host(), false, TESS, null);
        assertThatThrownBy(() -> store.listTags("tls/app"))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StorageException.Kind.TLS);
                    assertThat(e.getMessage()).contains(tls.host(), "TLS handshake", "trust",
                            "--storage-oci-ca-file", "-oci-insecure", "for testing only").doesNotContain("tls-password");
                });
    }

    @Test
    void insecureModeAcceptsTheSelfSignedCertificate() {
        RegistryArtifactStore store = RegistryTestStores.with(tls.host(), true, TESS, null);
        store.push("tls/insecure", "1", artifact(), false);
        assertThat(store.listTags("tls/insecure")).containsExactly("1");
        assertThat(store.describe()).isEqualTo("https://" + tls.host());
    }

    @Test
    void aCertificateForAnotherCaIsRefused() {
        TestCertificates.SelfSigned other = TestCertificates.server("elsewhere.example", List.of("elsewhere.example"), List.of());
        RegistryArtifactStore trustsOtherOnly = RegistryTestStores.with(tls.host(), false, TESS, other.trustingContext());
        assertThatThrownBy(() -> trustsOtherOnly.listTags("tls/app"))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.TLS));
    }

    @Test
    void hostNameIsCheckedUnlessInsecure() {
        TestCertificates.SelfSigned wrongName = TestCertificates.server("wharf.invalid", List.of("wharf.invalid"), List.of());
        try (DockerRegistryServer misnamed = DockerRegistryServer.builder(dir.resolve("misnamed")).tls(wrongName).start()) {
            CredentialSource anonymous = CredentialSource.fixed(new Credentials.Anonymous(), "-");
            RegistryArtifactStore verifying = RegistryTestStores.with(misnamed.host(), false, anonymous, wrongName.trustingContext());
            assertThatThrownBy(() -> verifying.listTags("tls/app"))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.TLS));
            RegistryArtifactStore insecure = RegistryTestStores.with(misnamed.host(), true, anonymous, null);
            insecure.push("tls/misnamed", "1", artifact(), false);
            assertThat(insecure.listTags("tls/misnamed")).containsExactly("1");
        }
    }

    @Test
    void trustedCertificateWorksWithoutInsecureMode() {
        RegistryArtifactStore store = RegistryTestStores.with("https://" + tls.host(), false, TESS,
                tls.certificate().orElseThrow().trustingContext());
        store.push("tls/trusted", "1", artifact(), false);
        assertThat(store.resolve("tls/trusted", "1")).isPresent();
        RegistryArtifactStore viaLocalhost = RegistryTestStores.with("localhost:" + tls.port(), false, TESS,
                tls.certificate().orElseThrow().trustingContext());
        assertThat(viaLocalhost.listTags("tls/trusted")).containsExactly("1");
    }

    @Test
    void plainHttpRegistryWithoutSchemeIsATlsFailureUnlessInsecure() {
        RegistryArtifactStore secure = RegistryTestStores.with(plain.host(), false, CredentialSource.fixed(new Credentials.Anonymous(), "-"), null);
        assertThatThrownBy(() -> secure.listTags("plain/app"))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StorageException.Kind.TLS);
                    assertThat(e.getMessage()).contains("speaks HTTPS", "--storage-oci-insecure", "-oci-ca-file");
                });
        RegistryArtifactStore insecure = RegistryTestStores.with(plain.host(), true, CredentialSource.fixed(new Credentials.Anonymous(), "-"), null);
        insecure.push("plain/app", "1", artifact(), false);
        assertThat(insecure.listTags("plain/app")).containsExactly("1");
        assertThat(insecure.describe()).isEqualTo("http://" + plain.host());
    }
}
