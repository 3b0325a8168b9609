package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.StorageException;
import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.TokenServer;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry reached over HTTPS whose challenge names a token realm Wharf must not send credentials to: one on plain
 * HTTP (the password would cross the network readable), or one that is not an HTTP URL at all.
 */
class RegistryTokenRealmTest {
    private static final String USER = "bob";
    private static final String PASSWORD = "bobs-password";
    private static final CredentialSource BOB = CredentialSource.fixed(new Credentials.Basic(USER, PASSWORD), "test flags");

    @TempDir
    Path tmp;

    @Test
    void aRealmOnPlainHttpBehindAnHttpsRegistryNeverGetsTheCredentials() throws IOException {
        try (TokenServer tokens = new TokenServer(tmp.resolve("tokens")).user(USER, PASSWORD);
                DockerRegistryServer registry = DockerRegistryServer.builder(tmp.resolve("registry")).tls().tokenAuth(tokens).start()) {
            assertThat(tokens.realm()).startsWith("http://");
            RegistryArtifactStore store = RegistryTestStores.with(registry.host(), false, BOB,
                    registry.certificate().orElseThrow().trustingContext());

            assertThatThrownBy(() -> store.listTags("team/app"))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.kind()).isEqualTo(StorageException.Kind.PROTOCOL);
                        assertThat(e.getMessage()).contains("registry " + registry.host(), "plain HTTP", tokens.realm(),
                                "does not send credentials", "https://", "--storage-oci-insecure").doesNotContain(PASSWORD);
                    });
            assertThat(tokens.requests()).isEmpty();
        }
    }

    @Test
    void inInsecureModeAPlainHttpRealmIsStillUsed() throws IOException {
        try (TokenServer tokens = new TokenServer(tmp.resolve("tokens")).user(USER, PASSWORD);
                DockerRegistryServer registry = DockerRegistryServer.builder(tmp.resolve("registry")).tls().tokenAuth(tokens).start()) {
            RegistryArtifactStore store = RegistryTestStores.with(registry.host(), true, BOB, null);

            assertThat(store.listTags("team/app")).isEmpty();
            assertThat(tokens.requests()).extracting(TokenServer.TokenRequest::user).containsOnly(USER);
        }
    }

    @Test
    void aRealmThatIsNotAnHttpUrlIsOneClearFailure() throws IOException {
        try (TokenServer tokens = new TokenServer(tmp.resolve("tokens")).user(USER, PASSWORD);
                DockerRegistryServer registry = DockerRegistryServer.builder(tmp.resolve("registry")).tls()
                        .tokenAuth(tokens, "ftp://127.0.0.1/token").start()) {
            RegistryArtifactStore store = RegistryTestStores.with(registry.host(), false, BOB,
                    registry.certificate().orElseThrow().trustingContext());

            assertThatThrownBy(() -> store.listTags("team/app"))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.kind()).isEqualTo(StorageException.Kind.PROTOCOL);
                        assertThat(e.getMessage()).contains("registry " + registry.host(), "not an http or https URL", "'ftp'")
                                .doesNotContain(PASSWORD);
                    });
            assertThat(tokens.requests()).isEmpty();
        }
    }
}
