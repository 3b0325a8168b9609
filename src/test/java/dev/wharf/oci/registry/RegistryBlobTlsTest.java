package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Layer;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.testing.ChunkBytes;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Blob reads over TLS on their own client take the store's trust: the CA the store is given, or
 * trust-all in insecure mode, with the host name checked unless insecure. A plain-HTTP registry that
 * redirects reads to an HTTPS host isolates the blob client: the registry's own calls need no TLS.
 */
class RegistryBlobTlsTest {
    private static final CredentialSource ANONYMOUS = CredentialSource.fixed(new Credentials.Anonymous(), "-");
    private static final String REPO = "tls/blobs";

    private static Path dir;
    private static DockerRegistryServer trusted;
    private static DockerRegistryServer misnamed;
    private static TestCertificates.SelfSigned wrongName;
    private static byte[] content;
    private static Digest digest;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("wharf-registry-blob-tls");
        trusted = DockerRegistryServer.builder(dir.resolve("tls")).tls().start();
        wrongName = TestCertificates.server("wharf.invalid", List.of("wharf.invalid"), List.of());
        misnamed = DockerRegistryServer.builder(dir.resolve("misnamed")).tls(wrongName).start();
        content = new byte[2 << 20];
        new Random(11).nextBytes(content);
        Artifact artifact = Artifact.single("application/vnd.wharf.test.v1",
                Layer.file("application/octet-stream", "f.bin", BlobSource.ofBytes(content)));
        for (DockerRegistryServer registry : List.of(trusted, misnamed)) {
            try (RegistryArtifactStore insecure = RegistryTestStores.with(registry.host(), true, ANONYMOUS, null)) {
                digest = insecure.push(REPO, "1", artifact, false).layers().get(0).digest();
            }
        }
    }

    @AfterAll
    static void stop() {
        trusted.close();
        misnamed.close();
        TestFiles.deleteQuietly(dir);
    }

    private static byte[] read(RegistryArtifactStore store) throws IOException {
        try (store) {
            return ChunkBytes.readAll(store.readBlob(REPO, digest));
        }
    }

    /** A plain-HTTP registry front that sends every blob read to {@code target}'s copy over HTTPS. */
    private static StubHttpServer redirectingTo(DockerRegistryServer target) throws IOException {
        return new StubHttpServer(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/v2/")) {
                StubHttpServer.respond(exchange, 200, "application/json", "{}");
                return;
            }
            exchange.getResponseHeaders().set("Location", "https://" + target.host() + exchange.getRequestURI().getPath());
            StubHttpServer.respond(exchange, 307, null, "");
        });
    }

    private static RegistryArtifactStore store(String registry, boolean insecure, @Nullable SSLContext tls) {
        return RegistryTestStores.with(registry, insecure, ANONYMOUS, tls);
    }

    @Test
    void readsTrustTheCaTheStoreIsGiven() throws IOException {
        assertThat(read(store("https://" + trusted.host(), false, trusted.certificate().orElseThrow().trustingContext()))).isEqualTo(content);
        try (StubHttpServer front = redirectingTo(trusted)) {
            assertThat(read(store("http://" + front.host(), false, trusted.certificate().orElseThrow().trustingContext())))
                    .isEqualTo(content);
        }
    }

    @Test
    void readsInInsecureModeAcceptTheSelfSignedCertificate() throws IOException {
        assertThat(read(store(trusted.host(), true, null))).isEqualTo(content);
        try (StubHttpServer front = redirectingTo(trusted)) {
            assertThat(read(store("http://" + front.host(), true, null))).isEqualTo(content);
        }
    }

    @Test
    void aReadSentToAnUntrustedHostIsATlsFailureWithTheHint() throws IOException {
        try (StubHttpServer front = redirectingTo(trusted); RegistryArtifactStore store = store("http://" + front.host(), false, null)) {
            assertThatThrownBy(() -> store.readBlob(REPO, digest)).isInstanceOfSatisfying(StorageException.class, e -> {
                assertThat(e.kind()).isEqualTo(StorageException.Kind.TLS);
                assertThat(e.getMessage()).contains("TLS handshake", "read the blob", "-oci-insecure");
            });
        }
    }

    @Test
    void theHostNameIsCheckedUnlessInsecure() throws IOException {
        try (StubHttpServer front = redirectingTo(misnamed)) {
            try (RegistryArtifactStore verifying = store("http://" + front.host(), false, wrongName.trustingContext())) {
                assertThatThrownBy(() -> verifying.readBlob(REPO, digest)).isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.TLS));
            }
            assertThat(read(store("http://" + front.host(), true, null))).isEqualTo(content);
        }
    }
}
