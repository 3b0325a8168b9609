package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.auth.CredentialResolver;
import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.TokenServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker-registry with {@code auth: token} and the test suite's own token server. */
class RegistryBearerTokenTest {
    private static Path dir;
    private static TokenServer tokens;
    private static DockerRegistryServer registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("wharf-registry-token");
        tokens = new TokenServer(dir.resolve("tokens"))
                .user("bob", "bobs-password")
                .pullOnlyUser("reader", "readers-password")
                .identityToken("bob", "bobs-identity-token");
        registry = DockerRegistryServer.builder(dir.resolve("registry")).tokenAuth(tokens).start();
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (tokens != null) {
            tokens.close();
        }
        TestFiles.deleteQuietly(dir);
    }

    @BeforeEach
    void resetCounts() {
        tokens.reset();
    }

    private static Artifact artifact(String text) {
        return Artifact.single("application/vnd.wharf.test.v1",
                Layer.file("text/plain", "f.txt", BlobSource.ofBytes(text.getBytes(StandardCharsets.UTF_8))));
    }

    private static RegistryArtifactStore store(Credentials credentials) {
        return RegistryTestStores.with("http://" + registry.host(), false, CredentialSource.fixed(credentials, "test flags"), null);
    }

    private static String read(RegistryArtifactStore store, String repository, Manifest manifest) throws IOException {
        try (InputStream in = store.openBlob(repository, manifest.layers().get(0).digest())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void pushesAndReadsWithTokensCachedPerScope() throws IOException {
        RegistryArtifactStore store = store(new Credentials.Basic("bob", "bobs-password"));
        store.push("team/app", "1.0.0", artifact("one"), false);
        store.push("team/app", "1.0.1", artifact("two"), false);
        Manifest resolved = store.resolve("team/app", "1.0.0").orElseThrow();
        assertThat(read(store, "team/app", resolved)).isEqualTo("one");
        assertThat(store.listTags("team/app")).containsExactlyInAnyOrder("1.0.0", "1.0.1");
        assertThat(store.exists("team/app", "1.0.1")).isTrue();

        // One token per scope: pull (HEADs, GETs) and pull,push (uploads, manifest PUT), for any number of requests.
        assertThat(tokens.requests()).extracting(TokenServer.TokenRequest::scopes).containsExactlyInAnyOrder(
                List.of("repository:team/app:pull,push"), List.of("repository:team/app:pull"));
        assertThat(tokens.requests()).allSatisfy(r -> assertThat(r.user()).isEqualTo("bob"));

        store.push("team/other", "1", artifact("three"), false);
        assertThat(tokens.tokensIssued()).isEqualTo(4);
    }

    @Test
    void aBlobSeenInAnotherRepositoryIsMountedNotUploaded() throws IOException {
        RegistryArtifactStore store = store(new Credentials.Basic("bob", "bobs-password"));
        Path big = Files.write(tmp.resolve("big.bin"), new byte[2 << 20]);
        Artifact shared = Artifact.single("application/vnd.wharf.test.v1",
                Layer.file("application/octet-stream", "big.bin", BlobSource.ofFile(big)));
        store.push("mount/source", "1", shared, false);
        tokens.reset();
        Manifest copy = store.push("mount/target", "1", shared, false);
        assertThat(tokens.requests()).extracting(TokenServer.TokenRequest::scopes)
                .contains(List.of("repository:mount/target:pull,push", "repository:mount/source:pull"));
        assertThat(store.resolve("mount/target", "1").orElseThrow().digest()).isEqualTo(copy.digest());
    }

    @Test
    void wrongPasswordIsRefusedAtTheTokenServerWithoutLeakingIt() {
        RegistryArtifactStore store = store(new Credentials.Basic("bob", "not-bobs-password"));
        assertThatThrownBy(() -> store.listTags("team/app"))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StorageException.Kind.UNAUTHORIZED);
                    assertThat(e.getMessage()).contains(registry.host(), "user 'bob'", "HTTP 401", "test flags")
                            .doesNotContain("not-bobs-password");
                });
    }

    @Test
    void pullOnlyUserMayReadButNotPush() {
        store(new Credentials.Basic("bob", "bobs-password")).push("readonly/app", "1", artifact("r"), false);
        RegistryArtifactStore reader = store(new Credentials.Basic("reader", "readers-password"));
        assertThat(reader.listTags("readonly/app")).containsExactly("1");
        assertThatThrownBy(() -> reader.push("readonly/app", "2", artifact("new content"), false))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StorageException.Kind.FORBIDDEN);
                    assertThat(e.getMessage()).contains("user 'reader'", "push (write) permission", "readonly/app")
                            .doesNotContain("readers-password");
                });
    }

    @Test
    void identityTokenFromDockerConfigIsExchangedAsRefreshToken() throws IOException {
        Path config = Files.createDirectories(tmp.resolve("docker"));
        Files.writeString(config.resolve("config.json"),
                "{\"auths\":{\"" + registry.host() + "\":{\"auth\":\"\",\"identitytoken\":\"bobs-identity-token\"}}}");
        RegistryArtifactStore store = RegistryTestStores.with("http://" + registry.host(), false,
                CredentialResolver.forEnvironment(Optional.empty(), Map.of("DOCKER_CONFIG", config.toString()), tmp), null);
        Manifest pushed = store.push("identity/app", "1", artifact("via identity token"), false);
        assertThat(read(store, "identity/app", pushed)).isEqualTo("via identity token");
        assertThat(tokens.requests()).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.user()).isEqualTo("bob");
        });
    }

    @Test
    void explicitTokenIsUsedInTheTokenExchange() {
        RegistryArtifactStore store = store(new Credentials.Token("bobs-identity-token"));
        store.push("explicit-token/app", "1", artifact("t"), false);
        assertThat(store.listTags("explicit-token/app")).containsExactly("1");
        assertThat(tokens.requests()).allSatisfy(r -> assertThat(r.granted()).isTrue());
    }

    @Test
    void unknownTokenIsUnauthorized() {
        RegistryArtifactStore store = store(new Credentials.Token("forged-token-value"));
        assertThatThrownBy(() -> store.listTags("team/app"))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StorageException.Kind.UNAUTHORIZED);
                    assertThat(e.getMessage()).contains("a token").doesNotContain("forged-token-value");
                });
    }

    @Test
    void anonymousIsToldToLogIn() {
        RegistryArtifactStore store = store(new Credentials.Anonymous());
        assertThatThrownBy(() -> store.listTags("team/app"))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StorageException.Kind.UNAUTHORIZED);
                    assertThat(e.getMessage()).contains("requires credentials", "docker login");
                });
    }

    @Test
    void deletionIsAllowedWithDeleteScope() {
        RegistryArtifactStore store = store(new Credentials.Basic("bob", "bobs-password"));
        store.push("delete/app", "a", artifact("a"), false);
        store.push("delete/app", "b", artifact("b"), false);
        assertThat(store.delete("delete/app", "a")).isTrue();
        assertThat(store.listTags("delete/app")).containsExactly("b");
        assertThat(tokens.requests()).extracting(TokenServer.TokenRequest::scopes).contains(List.of("repository:delete/app:delete"));
    }
}
