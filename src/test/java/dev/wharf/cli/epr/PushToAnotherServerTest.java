package dev.wharf.cli.epr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.CannedAnswer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code push -server} pointed at a server that is not Wharf: its answer is no fault of the package it met, and the next
 * package would meet it too, so push stops there, naming the packages not sent, as {@code upload --server} stops.
 */
class PushToAnotherServerTest {
    @TempDir
    Path dir;

    @Test
    void aCreatedAnswerThatIsNotWharfsStopsThePushNamingThePackagesNotSent() throws Exception {
        Path a = Files.write(dir.resolve("acme_logs-1.0.0.zip"), new byte[] {'P', 'K', 3, 4});
        Path b = Files.write(dir.resolve("acme_logs-1.1.0.zip"), new byte[] {'P', 'K', 3, 4});
        Path c = Files.write(dir.resolve("acme_metrics-1.0.0.zip"), new byte[] {'P', 'K', 3, 4});
        try (CannedAnswer server = CannedAnswer.start(201, "text/html", "<html>Created</html>")) {
            CommandLine cl = PackageRegistryCommandLine.create(Map.of());
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            int exit = cl.execute("push", "-server", server.uri().toString(), "-token", "wharf_x", a.toString(), b.toString(), c.toString());
            assertThat(exit).isEqualTo(1);
            assertThat(out.toString()).isEmpty();
            // It went on to the next packages, each "refused" with the same answer.
            assertThat(err.toString().lines()).containsExactly(
                    "refused " + a + ": " + server.uri() + " answered the publish with HTTP 201 (Content-Type text/html) and a body that is not"
                            + " JSON: <html>Created</html>; not the answer of a Wharf server, so nothing is known to be published",
                    "not sent, as push stopped at this server's answer: " + b + ", " + c);
        }
    }
}
