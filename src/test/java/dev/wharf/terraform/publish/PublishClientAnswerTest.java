package dev.wharf.terraform.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.terraform.layout.ArchiveFormat;
import dev.wharf.terraform.upload.TargetFailedException;
import dev.wharf.terraform.upload.UploadException;
import dev.wharf.terraform.upload.VersionExistsException;
import dev.wharf.testing.CannedAnswer;
import dev.wharf.testing.OversizedAnswers;
import dev.wharf.testing.TestPorts;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code upload --server} pointed at something that is not Wharf: an endless answer is refused as it passes 1 MiB, not read
 * whole; a 201 that is not Wharf's answer is the target's failure, said in one line; a refusal's reason is shown on one line
 * with its control characters escaped.
 */
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

    /** A WebDAV or catch-all server answers a PUT with 201 and a page: nothing a registry serves was stored. */
    @Test
    void aCreatedAnswerThatIsNotJsonIsATargetFailureSaidInOneLineWithoutControlCharacters() throws Exception {
        Path archive = Files.write(dir.resolve("m.tar.gz"), new byte[] {1, 2, 3});
        try (CannedAnswer server = CannedAnswer.start(201, "text/html", "<html>\n<body>\u001b[2JCreated</body>\n</html>\n")) {
            PublishClient client = new PublishClient(server.uri(), "t", HttpClient.newHttpClient());
            // It was "the server's answer is not JSON: Unrecognized token '<': was expecting … [Source: REDACTED …]".
            assertThatThrownBy(() -> new HttpModuleTarget(client).publish("m.tar.gz", "acme", "x", "aws", "1.0.0", ArchiveFormat.TAR_GZ, archive, Instant.now()))
                    .isInstanceOf(TargetFailedException.class)
                    .hasMessage(server.uri() + " answered the publish with HTTP 201 (Content-Type text/html) and a body that is not JSON:"
                            + " <html> <body>\\x1b[2JCreated</body> </html>; not the answer of a Wharf server, so nothing is known to be published");
        }
    }

    @Test
    void aCreatedAnswerOfAnotherShapeIsATargetFailureShowingItsFirstBytes() throws Exception {
        Path archive = Files.write(dir.resolve("m.tar.gz"), new byte[] {1, 2, 3});
        try (CannedAnswer server = CannedAnswer.start(201, "application/json", "{\"ok\":true,\"pad\":\"" + "x".repeat(200) + "\"}")) {
            PublishClient client = new PublishClient(server.uri(), "t", HttpClient.newHttpClient());
            // It was taken for published, with an empty digest and size 0.
            assertThatThrownBy(() -> new HttpModuleTarget(client).publish("m.tar.gz", "acme", "x", "aws", "1.0.0", ArchiveFormat.TAR_GZ, archive, Instant.now()))
                    .isInstanceOf(TargetFailedException.class)
                    .hasMessageStartingWith(server.uri() + " answered the publish with HTTP 201 (Content-Type application/json) and a body"
                            + " without \"digest\": {\"ok\":true,\"pad\":\"xxx")
                    .hasMessageEndingWith("x…; not the answer of a Wharf server, so nothing is known to be published")
                    .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
        }
    }

    /** The reason of a refusal is another server's text, printed on the terminal: it must not forge lines or send escapes. */
    @Test
    void aRefusalsReasonIsShownOnOneLineWithoutControlCharacters() throws Exception {
        Path archive = Files.write(dir.resolve("m.tar.gz"), new byte[] {1, 2, 3});
        try (CannedAnswer server = CannedAnswer.start(502, "text/plain", "bad gateway\r\npublished acme/x/aws 1.0.0\u001b[2K\n")) {
            PublishClient client = new PublishClient(server.uri(), "t", HttpClient.newHttpClient());
            // It was "…(HTTP 502): bad gateway published acme/x/aws 1.0.0" with the ESC byte itself, which a terminal obeys.
            assertThatThrownBy(() -> client.putFile("/api/v1/modules/acme/x/aws/1.0.0", "application/gzip", archive))
                    .isInstanceOf(UploadException.class)
                    .hasMessage(server.uri() + " refused the publish (HTTP 502): bad gateway published acme/x/aws 1.0.0\\x1b[2K");
        }
        String json = "{\"errors\":[\"no\\r\\nINFO published acme/x/aws 1.0.0\\u001b]0;title\\u0007\\u202e\"]}";
        try (CannedAnswer server = CannedAnswer.start(400, "application/json", json)) {
            PublishClient client = new PublishClient(server.uri(), "t", HttpClient.newHttpClient());
            // It was "…(HTTP 400): no\r\nINFO published …" with the line break, the ESC, the BEL and the U+202E themselves.
            assertThatThrownBy(() -> client.putFile("/api/v1/modules/acme/x/aws/1.0.0", "application/gzip", archive))
                    .isInstanceOf(UploadException.class)
                    .hasMessage(server.uri() + " refused the publish (HTTP 400): no INFO published acme/x/aws 1.0.0\\x1b]0;title\\x07\\u202e");
        }
    }

    /**
     * A Wharf server's refusal quotes a name escaped already (a line break in it as a backslash, "x" and "0a"); shown as it
     * came: escaping it again would show two backslashes, "…'a\\x0ab'…".
     */
    @Test
    void aWharfServersReasonKeepsTheEscapesItQuotedSingle() throws Exception {
        Path archive = Files.write(dir.resolve("m.tar.gz"), new byte[] {1, 2, 3});
        String json = "{\"errors\":[\"the entry 'a\\\\x0ab' is refused\"]}";
        try (CannedAnswer server = CannedAnswer.start(400, "application/json", json)) {
            PublishClient client = new PublishClient(server.uri(), "t", HttpClient.newHttpClient());
            assertThatThrownBy(() -> client.putFile("/api/v1/modules/acme/x/aws/1.0.0", "application/gzip", archive))
                    .isInstanceOf(UploadException.class)
                    .hasMessage(server.uri() + " refused the publish (HTTP 400): the entry 'a\\x0ab' is refused");
        }
    }

    /** An error page with nothing in it: it was "(HTTP 500): no reason given", words the server never sent. */
    @Test
    void anEmptyRefusalSaysItsStatusInWordsAndThatTheBodyWasEmpty() throws Exception {
        Path archive = Files.write(dir.resolve("m.tar.gz"), new byte[] {1, 2, 3});
        try (CannedAnswer server = CannedAnswer.start(500, "text/plain", "")) {
            PublishClient client = new PublishClient(server.uri(), "t", HttpClient.newHttpClient());
            assertThatThrownBy(() -> client.putFile("/api/v1/modules/acme/x/aws/1.0.0", "application/gzip", archive))
                    .isInstanceOf(UploadException.class)
                    .hasMessage(server.uri() + " refused the publish (HTTP 500 Internal Server Error): the answer's body was empty");
            assertThatThrownBy(() -> new HttpModuleTarget(client).storedVersions("acme", "x", "aws"))
                    .isInstanceOf(TargetFailedException.class)
                    .hasMessage("cannot check the versions of module acme/x/aws already published at " + server.uri()
                            + " (HTTP 500 Internal Server Error): the answer's body was empty");
        }
    }

    /** A 409 with nothing in it: it was "no reason given", words the server never sent. */
    @Test
    void anEmptyConflictSaysItsStatusInWordsAndThatTheBodyWasEmpty() throws Exception {
        Path archive = Files.write(dir.resolve("m.tar.gz"), new byte[] {1, 2, 3});
        try (CannedAnswer server = CannedAnswer.start(409, "text/plain", "")) {
            PublishClient client = new PublishClient(server.uri(), "t", HttpClient.newHttpClient());
            assertThatThrownBy(() -> client.putFile("/api/v1/modules/acme/x/aws/1.0.0", "application/gzip", archive))
                    .isInstanceOf(VersionExistsException.class)
                    .hasMessage("HTTP 409 Conflict: the answer's body was empty");
        }
    }

    /** The versions check's Content-Type is another server's text, as its body is: it was printed with its C1 escape (CSI) and line break (NEL). */
    @Test
    void theVersionsChecksContentTypeIsShownWithoutControlCharacters() throws Exception {
        try (CannedAnswer server = CannedAnswer.start(200, "text/html \u009b2J\u0085", "<html>sign in</html>")) {
            PublishClient client = new PublishClient(server.uri(), "t", HttpClient.newHttpClient());
            assertThatThrownBy(() -> new HttpModuleTarget(client).storedVersions("acme", "x", "aws"))
                    .isInstanceOf(TargetFailedException.class)
                    .hasMessage("cannot check the versions of module acme/x/aws already published at " + server.uri()
                            + ": its answer is not JSON (Content-Type text/html \\u009b2J\\u0085): not the answer of a Wharf server");
        }
    }
}
