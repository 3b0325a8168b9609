package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Layer;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.auth.CredentialResolver;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.TokenServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials that change under a running server: a credential helper that hands out a password
 * that expires (ECR's lasts 12 hours, GAR's access token about one) and the registry that stops
 * taking the old one. The same store must go on working with the helper's new answer, with no
 * restart, against a real docker-registry with htpasswd Basic auth and with token auth; and wrong
 * credentials under repeated requests must not run the helper once per request.
 */
class RotatedCredentialsTest {
    private static final String USER = "alice";

    @TempDir
    Path tmp;

    @Test
    void aPasswordRotatedBehindTheCredentialHelperIsPickedUpWithoutARestart() throws IOException {
        try (DockerRegistryServer registry = DockerRegistryServer.builder(tmp.resolve("registry")).basicAuth(USER, "first-password").start()) {
            Path bin = helper(registry.host(), "first-password");
            try (RegistryArtifactStore store = storeUsingHelper(registry, bin)) {
                store.push("rotated/basic", "v1", artifact("one"), false);
                assertThat(asked(bin)).isEqualTo(1);

                Files.writeString(bin.resolve("secret"), "second-password");
                registry.replaceUsers(Map.of(USER, "second-password"));
                store.push("rotated/basic", "v2", artifact("two"), false);
                assertThat(store.listTags("rotated/basic")).containsExactlyInAnyOrder("v1", "v2");
                assertThat(asked(bin)).as("the helper ran again once, when the old password was refused").isEqualTo(2);
            }
        }
    }

    @Test
    void wrongCredentialsRunTheHelperAgainAtMostOnceInTenSeconds() throws IOException {
        try (DockerRegistryServer registry = DockerRegistryServer.builder(tmp.resolve("registry")).basicAuth(USER, "first-password").start()) {
            Path bin = helper(registry.host(), "first-password");
            try (RegistryArtifactStore store = storeUsingHelper(registry, bin)) {
                store.push("rotated/storm", "v1", artifact("one"), false);
                registry.replaceUsers(Map.of(USER, "a-password-the-helper-does-not-know"));
                for (int i = 0; i < 5; i++) {
                    assertThatThrownBy(() -> store.listTags("rotated/storm")).isInstanceOfSatisfying(StorageException.class,
                            e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.UNAUTHORIZED));
                }
                assertThat(asked(bin)).as("once at the first use, once after the first refusal").isEqualTo(2);
            }
        }
    }

    @Test
    void aPasswordRotatedBehindTheHelperIsPickedUpByTheTokenExchange() throws IOException {
        try (TokenServer tokens = new TokenServer(tmp.resolve("tokens")).user(USER, "first-password").expiresIn(1);
                DockerRegistryServer registry = DockerRegistryServer.builder(tmp.resolve("registry")).tokenAuth(tokens).start()) {
            Path bin = helper(registry.host(), "first-password");
            try (RegistryArtifactStore store = storeUsingHelper(registry, bin)) {
                store.push("rotated/token", "v1", artifact("one"), false);

                Files.writeString(bin.resolve("secret"), "second-password");
                tokens.user(USER, "second-password");
                store.push("rotated/token", "v2", artifact("two"), false);
                assertThat(store.listTags("rotated/token")).containsExactlyInAnyOrder("v1", "v2");
                assertThat(tokens.requests()).as("the old password was refused once, then the new one granted")
                        .anySatisfy(r -> assertThat(r.granted()).isFalse());
                assertThat(asked(bin)).isEqualTo(2);
            }
        }
    }

    private RegistryArtifactStore storeUsingHelper(DockerRegistryServer registry, Path bin) throws IOException {
        Path config = Files.createDirectories(tmp.resolve("docker"));
        Files.writeString(config.resolve("config.json"), "{\"credHelpers\":{\"" + registry.host() + "\":\"wharfrotate\"}}");
        return RegistryTestStores.with("http://" + registry.host(), false, CredentialResolver.forEnvironment(Optional.empty(),
                Map.of("DOCKER_CONFIG", config.toString(), "PATH", bin + ":/usr/bin:/bin"), tmp.resolve("home")), null);
    }

    /** docker-credential-wharfrotate: answers {@link #USER} and the password in the file {@code secret} beside it, and counts its runs. */
    private Path helper(String host, String password) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.writeString(bin.resolve("secret"), password);
        Path script = bin.resolve("docker-credential-wharfrotate");
        Files.writeString(script, String.join("\n",
                "#!/bin/sh",
                "[ \"$1\" = get ] || exit 2",
                "read -r server || true",
                "here=$(dirname \"$0\")",
                "echo \"$server\" >> \"$here/asked\"",
                "[ \"$server\" = \"" + host + "\" ] || { echo 'credentials not found in native keychain'; exit 1; }",
                "printf '{\"ServerURL\":\"%s\",\"Username\":\"" + USER + "\",\"Secret\":\"%s\"}\\n' \"$server\" \"$(cat \"$here/secret\")\"",
                ""));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private static int asked(Path bin) throws IOException {
        Path file = bin.resolve("asked");
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }

    private static Artifact artifact(String text) {
        return Artifact.single("application/vnd.wharf.test.v1",
                Layer.file("text/plain", "f.txt", BlobSource.ofBytes(text.getBytes(StandardCharsets.UTF_8))));
    }
}
