package dev.wharf.terraform.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.terraform.upload.UploadException;
import dev.wharf.testing.OversizedAnswers;
import dev.wharf.testing.TestPorts;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code upload --server} pointed at something that is not Wharf: an endless answer is refused as it passes 1 MiB, not read whole. */
class PublishClientAnswerTest {
    @TempDir
    Path dir;

    @Test
    void anAnswerFarLargerThanWharfsIsRefusedAndCutOff() throws Exception {
        Path archive = Files.write(dir.resolve("m.tar.gz"), new byte[] {1, 2, 3});
        try (OversizedAnswers server = OversizedAnswers.start(201, 256L << 20)) {
            PublishClient client = new PublishClient(server.uri(), "t", HttpClient.newHttpClient());
            assertThatThrownBy(() -> client.putFile("/api/v1/modules/acme/x/aws/1.0.0", "application/gzip", archive))
                    .isInstanceOf(UploadException.class)
                    .hasMessage(server.uri() + " answered more than 1048576 bytes: not the answer of a Wharf server");
            assertThat(server.sent()).isLessThan(64L << 20);
        }
    }

    @Test
    void aServerThatIsNotListeningIsSaidInWords() throws Exception {
        Path archive = Files.write(dir.resolve("m.tar.gz"), new byte[] {1, 2, 3});
        String closed = "http://127.0.0.1:" + TestPorts.free();
        PublishClient client = PublishClient.of(closed, "t", Optional.empty());
        // The JDK's refused connection carries no message: it was "cannot reach …: null".
        assertThatThrownBy(() -> client.putFile("/api/v1/modules/acme/x/aws/1.0.0", "application/gzip", archive))
                .isInstanceOf(UploadException.class).hasMessage("cannot reach " + closed + ": connection refused");
    }
}
