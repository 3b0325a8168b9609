package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.auth.CredentialResolver;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.testing.DockerRegistryServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-registry with htpasswd Basic auth: explicit credentials, Docker configuration ({@code auth},
 * {@code credsStore}, {@code credHelpers} with a helper script on an injected PATH), a wrong
 * password, and no credentials at all.
 */
class RegistryBasicAuthTest {
    private static final String USER = "alice";
    private static final String PASSWORD = "correct-horse-battery";
    private static Path dir;
    private static DockerRegistryServer registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("wharf-registry-basic");
        registry = DockerRegistryServer.builder(dir).basicAuth(USER, PASSWORD).start();
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        TestFiles.deleteQuietly(dir);
    }

    private static Artifact artifact(String text) {
        return Artifact.single("application/vnd.wharf.test.v1",
                Layer.file("text/plain", "f.txt", BlobSource.ofBytes(text.getBytes(StandardCharsets.UTF_8))));
    }

    private static String http() {
        return "http://" + registry.host();
    }

    private static void assertRoundTrip(RegistryArtifactStore store, String repository) throws IOException {
        Manifest pushed = store.push(repository, "1.0.0", artifact("content of " + repository), false);
        assertThat(store.listTags(repository)).containsExactly("1.0.0");
        Manifest resolved = store.resolve(repository, "1.0.0").orElseThrow();
        assertThat(resolved.digest()).isEqualTo(pushed.digest());
        try (InputStream in = store.openBlob(repository, resolved.layers().get(0).digest())) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("content of " + repository);
        }
    }

    @Test
    void explicitCredentialsPushAndRead() throws IOException {
        assertRoundTrip(RegistryTestStores.basic(http(), USER, PASSWORD), "basic/explicit");
    }

    @Test
    void wrongPasswordIsOneClearMessageWithoutTheSecret() {
        RegistryArtifactStore store = RegistryTestStores.basic(http(), USER, "wrong-secret-xyz");
        assertThatThrownBy(() -> store.listTags("basic/any"))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StorageException.Kind.UNAUTHORIZED);
                    assertThat(e.getMessage()).contains(registry.host(), "basic/any", "user 'alice'", "check the username and password")
                            .doesNotContain("wrong-secret-xyz");
                });
        assertThatThrownBy(() -> store.push("basic/any", "v1", artifact("x"), false))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StorageException.Kind.UNAUTHORIZED);
                    assertThat(e.getMessage()).doesNotContain("wrong-secret-xyz");
                });
    }

    @Test
    void noCredentialsSaysWhereToPutThem() {
        RegistryArtifactStore store = RegistryTestStores.anonymous(http());
        assertThatThrownBy(() -> store.resolve("basic/any", "v1"))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StorageException.Kind.UNAUTHORIZED);
                    assertThat(e.getMessage()).contains("requires credentials", "docker login " + registry.host(), "environment variables");
                });
    }

    private Path dockerConfig(String json) throws IOException {
        Path config = Files.createDirectories(tmp.resolve("docker"));
        Files.writeString(config.resolve("config.json"), json);
        return config;
    }

    private RegistryArtifactStore storeWithEnvironment(Map<String, String> env) {
        return RegistryTestStores.with(http(), false,
                CredentialResolver.forEnvironment(Optional.empty(), env, tmp.resolve("home")), null);
    }

    @Test
    void dockerConfigAuthEntry() throws IOException {
        String auth = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        Path config = dockerConfig("{\"auths\":{\"http://" + registry.host() + "/v2/\":{\"auth\":\"" + auth + "\"}}}");
        assertRoundTrip(storeWithEnvironment(Map.of("DOCKER_CONFIG", config.toString())), "basic/docker-config");
    }

    @Test
    void dockerConfigInTheHomeFolderWhenDockerConfigIsUnset() throws IOException {
        String auth = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        Path home = Files.createDirectories(tmp.resolve("home/.docker"));
        Files.writeString(home.resolve("config.json"), "{\"auths\":{\"" + registry.host() + "\":{\"auth\":\"" + auth + "\"}}}");
        assertRoundTrip(storeWithEnvironment(Map.of()), "basic/home-config");
    }

    @Test
    void wrongPasswordInDockerConfigNamesTheFile() throws IOException {
        String auth = Base64.getEncoder().encodeToString((USER + ":nope-secret").getBytes(StandardCharsets.UTF_8));
        Path config = dockerConfig("{\"auths\":{\"" + registry.host() + "\":{\"auth\":\"" + auth + "\"}}}");
        assertThatThrownBy(() -> storeWithEnvironment(Map.of("DOCKER_CONFIG", config.toString())).listTags("basic/x"))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StorageException.Kind.UNAUTHORIZED);
                    assertThat(e.getMessage()).contains(config.resolve("config.json").toString()).doesNotContain("nope-secret");
                });
    }

    /** Writes docker-credential-wharftest into a fresh bin folder; it answers for this registry only and logs its stdin. */
    private Path helperScript() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path script = bin.resolve("docker-credential-wharftest");
        Files.writeString(script, String.join("\n",
                "#!/bin/sh",
                "[ \"$1\" = get ] || { echo unsupported >&2; exit 2; }",
                "read -r server || true",
                "echo \"$server\" >> \"$(dirname \"$0\")/asked\"",
                "if [ \"$server\" = \"" + registry.host() + "\" ]; then",
                "  printf '{\"ServerURL\":\"%s\",\"Username\":\"" + USER + "\",\"Secret\":\"" + PASSWORD + "\"}\\n' \"$server\"",
                "else",
                "  echo 'credentials not found in native keychain'; exit 1",
                "fi", ""));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    @Test
    void credentialHelperFromCredHelpers() throws IOException {
        Path bin = helperScript();
        Path config = dockerConfig("{\"credHelpers\":{\"" + registry.host() + "\":\"wharftest\"}}");
        RegistryArtifactStore store = storeWithEnvironment(Map.of("DOCKER_CONFIG", config.toString(),
                "PATH", bin + ":/usr/bin:/bin"));
        assertRoundTrip(store, "basic/helper");
        assertThat(Files.readAllLines(bin.resolve("asked"))).containsExactly(registry.host());
    }

    @Test
    void credentialHelperFromCredsStore() throws IOException {
        Path bin = helperScript();
        Path config = dockerConfig("{\"auths\":{\"" + registry.host() + "\":{}},\"credsStore\":\"wharftest\"}");
        assertRoundTrip(storeWithEnvironment(Map.of("DOCKER_CONFIG", config.toString(), "PATH", bin + ":/usr/bin:/bin")),
                "basic/store");
    }

    @Test
    void missingCredentialHelperIsReported() throws IOException {
        Path config = dockerConfig("{\"credsStore\":\"wharf-absent\"}");
        RegistryArtifactStore store = storeWithEnvironment(Map.of("DOCKER_CONFIG", config.toString(), "PATH", tmp.toString()));
        assertThatThrownBy(() -> store.listTags("basic/x"))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StorageException.Kind.UNAUTHORIZED);
                    assertThat(e.getMessage()).contains("docker-credential-wharf-absent", "not on the PATH");
                });
    }

    @Test
    void explicitCredentialsWinOverDockerConfig() throws IOException {
        String auth = Base64.getEncoder().encodeToString((USER + ":stale").getBytes(StandardCharsets.UTF_8));
        Path config = dockerConfig("{\"auths\":{\"" + registry.host() + "\":{\"auth\":\"" + auth + "\"}}}");
        RegistryArtifactStore store = RegistryTestStores.with(http(), false, CredentialResolver.forEnvironment(
                Optional.of(new Credentials.Basic(USER, PASSWORD)), Map.of("DOCKER_CONFIG", config.toString()), tmp), null);
        assertRoundTrip(store, "basic/explicit-wins");
        assertThat(Set.of(store.describe())).containsExactly("http://" + registry.host());
    }
}
