package dev.wharf.oci.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigTest {
    @TempDir
    Path tmp;

    private DockerConfig config(String json, Map<String, String> extraEnv) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("cfg"));
        Files.writeString(dir.resolve("config.json"), json);
        java.util.Map<String, String> env = new java.util.HashMap<>(extraEnv);
        env.put("DOCKER_CONFIG", dir.toString());
        return DockerConfig.locate(env, tmp.resolve("home"));
    }

    private static String auth(String userPass) {
        return Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void matchesKeysWithSchemesPathsAndDockerHubAliases() throws IOException {
        DockerConfig c = config("{\"auths\":{"
                + "\"https://index.docker.io/v1/\":{\"auth\":\"" + auth("hubuser:hubpass") + "\"},"
                + "\"https://Registry.Example.com:5000/v2/\":{\"auth\":\"" + auth("u:p:with:colons") + "\"}}}", Map.of());
        assertThat(c.credentialsFor("docker.io")).map(ResolvedCredentials::credentials)
                .contains(new Credentials.Basic("hubuser", "hubpass"));
        assertThat(c.credentialsFor("registry-1.docker.io")).isPresent();
        assertThat(c.credentialsFor("registry.example.com:5000")).map(ResolvedCredentials::credentials)
                .contains(new Credentials.Basic("u", "p:with:colons"));
        assertThat(c.credentialsFor("registry.example.com")).isEmpty();
    }

    @Test
    void identityTokenBecomesAToken() throws IOException {
        DockerConfig c = config("{\"auths\":{\"r.example\":{\"auth\":\"" + auth("someone:") + "\",\"identitytoken\":\"refresh-me\"}}}", Map.of());
        assertThat(c.credentialsFor("r.example")).map(ResolvedCredentials::credentials).contains(new Credentials.Token("refresh-me"));
    }

    @Test
    void helperAnsweringTokenUserGivesAnIdentityTokenAndHubGetsTheLegacyUrl() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path helper = bin.resolve("docker-credential-unit");
        Files.writeString(helper, "#!/bin/sh\nread -r s\necho \"$s\" > \"${0%/*}/asked\"\n"
                + "printf '{\"Username\":\"<token>\",\"Secret\":\"id-token\"}'\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
        DockerConfig c = config("{\"credHelpers\":{\"docker.io\":\"unit\"}}", Map.of("PATH", bin.toString()));
        Optional<ResolvedCredentials> found = c.credentialsFor("index.docker.io");
        assertThat(found).map(ResolvedCredentials::credentials).contains(new Credentials.Token("id-token"));
        assertThat(found.orElseThrow().origin()).contains("docker-credential-unit");
        assertThat(Files.readString(bin.resolve("asked")).trim()).isEqualTo("https://index.docker.io/v1/");
    }

    @Test
    void failingHelperIsNamedButItsOutputIsNotShown() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path helper = bin.resolve("docker-credential-broken");
        Files.writeString(helper, "#!/bin/sh\necho 'leaked-secret-text'\nexit 3\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
        DockerConfig c = config("{\"credsStore\":\"broken\"}", Map.of("PATH", bin.toString()));
        assertThatThrownBy(() -> c.credentialsFor("r.example"))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getMessage())
                        .contains("docker-credential-broken", "status 3").doesNotContain("leaked-secret-text"));
    }

    @Test
    void missingFileMeansNothingAndBrokenFileIsReported() throws IOException {
        assertThat(DockerConfig.locate(Map.of(), tmp.resolve("nohome")).credentialsFor("r.example")).isEmpty();
        DockerConfig broken = config("{not json", Map.of());
        assertThatThrownBy(() -> broken.credentialsFor("r.example")).hasMessageContaining("cannot read the Docker configuration");
    }

    @Test
    void credentialsNeverShowInToString() {
        assertThat(new Credentials.Basic("u", "pw-secret").toString()).doesNotContain("pw-secret");
        assertThat(new Credentials.Token("tok-secret").toString()).doesNotContain("tok-secret");
        assertThat(new ResolvedCredentials(new Credentials.Basic("u", "pw-secret"), "x").toString()).doesNotContain("pw-secret");
        assertThat(new BearerToken("bearer-secret", java.time.Instant.EPOCH).toString()).doesNotContain("bearer-secret");
    }
}
