package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.cli.boring.ServerCommand;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --signed-url-key} rotated across replicas of one store in two steps, and no file URL refused
 * on the way: replicas that still sign with the old key accept the new one first; then they sign with
 * the new one and accept the old one.
 */
class SignedUrlKeyRotationTest {
    private static final String OLD = "the-old-url-signing-key";
    private static final String NEW = "the-new-url-signing-key";
    private static final String DOWNLOAD = "/v1/modules/example/hello/null/1.0.0/download";

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void upload() {
        InProcessRegistry.uploadExampleModule(dir.resolve("data"));
    }

    @Test
    void aKeyRotatedInTwoStepsRefusesNoUrlThatAReplicaHandedOut() throws Exception {
        try (ServerCommand.Running before = start("--signed-url-key", OLD);
             ServerCommand.Running stepOne = start("--signed-url-key", OLD, "--signed-url-accepted-keys", NEW);
             ServerCommand.Running stepTwo = start("--signed-url-key", NEW, "--signed-url-accepted-keys", OLD);
             ServerCommand.Running after = start("--signed-url-key", NEW)) {
            // Step one rolls out beside replicas not yet touched: each takes the other's URLs.
            assertThat(status(stepOne, fileUrl(before))).isEqualTo(200);
            assertThat(status(before, fileUrl(stepOne))).isEqualTo(200);
            // Step two rolls out beside step one's replicas: the same.
            assertThat(status(stepTwo, fileUrl(stepOne))).isEqualTo(200);
            assertThat(status(stepOne, fileUrl(stepTwo))).isEqualTo(200);
            // Then the old key goes.
            assertThat(status(after, fileUrl(stepTwo))).isEqualTo(200);
            assertThat(status(stepTwo, fileUrl(after))).isEqualTo(200);
            // A replica that skipped step one refuses the new key's URLs, as it always did: the reason for the steps.
            assertThat(status(before, fileUrl(stepTwo))).isEqualTo(403);
            assertThat(status(after, fileUrl(before))).isEqualTo(403);
        }
    }

    @Test
    void acceptedKeysNeedAKeyToSignWithAndTheSameLength() {
        assertThatThrownBy(() -> start("--signed-url-accepted-keys", OLD).close())
                .hasMessageContaining("--signed-url-accepted-keys needs --signed-url-key");
        assertThatThrownBy(() -> start("--signed-url-key", NEW, "--signed-url-accepted-keys", "short").close())
                .hasMessageContaining("--signed-url-accepted-keys: each key must be at least 16 bytes");
        // Every URL would be dead before terraform asked for it.
        assertThatThrownBy(() -> start("--signed-url-ttl", "0").close()).hasMessageContaining("--signed-url-ttl: 0 ms is too short");
        assertThatThrownBy(() -> start("--signed-url-ttl", "500ms").close()).hasMessageContaining("--signed-url-ttl: 500 ms is too short");
    }

    /** The signed file URL a replica hands terraform for the module's archive. */
    private String fileUrl(ServerCommand.Running replica) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(replica.registry().localUri().resolve(DOWNLOAD))
                .header("Authorization", "Bearer ci-token").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
        String location = answer.headers().firstValue("X-Terraform-Get").orElseThrow();
        assertThat(location).startsWith("/").contains("signature=");
        return location;
    }

    private int status(ServerCommand.Running replica, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(replica.registry().localUri().resolve(path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private ServerCommand.Running start(String... flags) {
        List<String> args = new ArrayList<>(List.of("--auth-static-token", "ci-token"));
        args.addAll(List.of(flags));
        return InProcessRegistry.start(dir.resolve("data"), args.toArray(String[]::new));
    }
}
