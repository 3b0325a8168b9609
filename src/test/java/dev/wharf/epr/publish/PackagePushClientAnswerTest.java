package dev.wharf.epr.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.OversizedAnswers;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code push -server} pointed at something that is not Wharf: an endless answer refuses the push as it passes 1 MiB, not read whole. */
class PackagePushClientAnswerTest {
    @TempDir
    Path dir;

    @Test
    void anAnswerFarLargerThanWharfsRefusesThePushAndIsCutOff() throws Exception {
        Path zip = Files.write(dir.resolve("acme_logs-1.0.0.zip"), new byte[] {'P', 'K', 3, 4});
        try (OversizedAnswers server = OversizedAnswers.start(201, 256L << 20)) {
            PackagePushClient.Outcome outcome = new PackagePushClient(server.uri(), "t", HttpClient.newHttpClient()).push(zip);
            assertThat(outcome.kind()).isEqualTo(PackagePushClient.Outcome.Kind.REFUSED);
            assertThat(outcome.detail()).isEqualTo(server.uri() + " answered more than 1048576 bytes: not the answer of a Wharf server");
            assertThat(server.sent()).isLessThan(64L << 20);
        }
    }
}
