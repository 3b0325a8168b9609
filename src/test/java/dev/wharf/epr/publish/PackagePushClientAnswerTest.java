package dev.wharf.epr.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.CannedAnswer;
import dev.wharf.testing.OversizedAnswers;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code push -server} pointed at something that is not Wharf: an endless answer refuses the push as it passes 1 MiB, not
 * read whole; a 201 that is not Wharf's answer is not "published"; a refusal's reason is shown on one line with its control
 * characters escaped.
 */
class PackagePushClientAnswerTest {
    @TempDir
    Path dir;

    @Test
    void anAnswerFarLargerThanWharfsRefusesThePushAndIsCutOff() throws Exception {
        Path zip = Files.write(dir.resolve("acme_logs-1.0.0.zip"), new byte[] {'P', 'K', 3, 4});
        try (OversizedAnswers server = OversizedAnswers.start(201, 256L << 20)) {
            PackagePushClient.Outcome outcome = new PackagePushClient(server.uri(), "t", HttpClient.newHttpClient()).push(zip);
            assertThat(outcome.kind()).isEqualTo(PackagePushClient.Outcome.Kind.SERVER_FAILED);
            assertThat(outcome.detail()).isEqualTo(server.uri() + " answered more than 1048576 bytes: not the answer of a Wharf server");
            assertThat(server.sent()).isLessThan(64L << 20);
        }
    }

    /** A WebDAV or catch-all server answers a PUT with 201 and a page: nothing Fleet can install was stored. */
    @Test
    void aCreatedAnswerThatIsNotJsonRefusesThePushSaidInOneLineWithoutControlCharacters() throws Exception {
        Path zip = Files.write(dir.resolve("acme_logs-1.0.0.zip"), new byte[] {'P', 'K', 3, 4});
        try (CannedAnswer server = CannedAnswer.start(201, "text/html", "<html>\n<body>\u001b[2JCreated</body>\n</html>\n")) {
            PackagePushClient.Outcome outcome = new PackagePushClient(server.uri(), "t", HttpClient.newHttpClient()).push(zip);
            // It was PUBLISHED, "published  as  through …": empty tag and digest.
            assertThat(outcome).isEqualTo(new PackagePushClient.Outcome(PackagePushClient.Outcome.Kind.SERVER_FAILED, server.uri()
                    + " answered the publish with HTTP 201 (Content-Type text/html) and a body that is not JSON:"
                    + " <html> <body>\\x1b[2JCreated</body> </html>; not the answer of a Wharf server, so nothing is known to be published"));
        }
    }

    @Test
    void aCreatedAnswerOfAnotherShapeRefusesThePushShowingItsFirstBytes() throws Exception {
        Path zip = Files.write(dir.resolve("acme_logs-1.0.0.zip"), new byte[] {'P', 'K', 3, 4});
        try (CannedAnswer server = CannedAnswer.start(201, "application/json", "{\"ok\":true,\"pad\":\"" + "x".repeat(200) + "\"}")) {
            PackagePushClient.Outcome outcome = new PackagePushClient(server.uri(), "t", HttpClient.newHttpClient()).push(zip);
            assertThat(outcome.kind()).isEqualTo(PackagePushClient.Outcome.Kind.SERVER_FAILED);
            assertThat(outcome.detail())
                    .startsWith(server.uri() + " answered the publish with HTTP 201 (Content-Type application/json) and a body"
                            + " without \"tag\": {\"ok\":true,\"pad\":\"xxx")
                    .endsWith("x…; not the answer of a Wharf server, so nothing is known to be published")
                    .hasSizeLessThan(400);
        }
        try (CannedAnswer server = CannedAnswer.start(201, "application/json", "[\"acme_logs-1.0.0\"]")) {
            PackagePushClient.Outcome outcome = new PackagePushClient(server.uri(), "t", HttpClient.newHttpClient()).push(zip);
            assertThat(outcome.detail()).isEqualTo(server.uri() + " answered the publish with HTTP 201 (Content-Type application/json)"
                    + " and a body that is not a JSON object: [\"acme_logs-1.0.0\"]; not the answer of a Wharf server, so nothing is known to be published");
        }
        try (CannedAnswer server = CannedAnswer.start(201, "application/json", "")) {
            PackagePushClient.Outcome outcome = new PackagePushClient(server.uri(), "t", HttpClient.newHttpClient()).push(zip);
            assertThat(outcome.detail()).isEqualTo(server.uri() + " answered the publish with HTTP 201 (Content-Type application/json)"
                    + " and a body that is not JSON (empty); not the answer of a Wharf server, so nothing is known to be published");
        }
    }

    /** The reason of a refusal is another server's text, printed on the terminal: it must not forge lines or send escapes. */
    @Test
    void aRefusalsReasonIsShownOnOneLineWithoutControlCharacters() throws Exception {
        Path zip = Files.write(dir.resolve("acme_logs-1.0.0.zip"), new byte[] {'P', 'K', 3, 4});
        try (CannedAnswer server = CannedAnswer.start(502, "text/plain", "bad gateway\r\npublished acme_logs-1.0.0\u001b[2K\n")) {
            PackagePushClient.Outcome outcome = new PackagePushClient(server.uri(), "t", HttpClient.newHttpClient()).push(zip);
            // It was "HTTP 502: bad gateway\r\npublished acme_logs-1.0.0…" with the line breaks and the ESC themselves.
            assertThat(outcome).isEqualTo(new PackagePushClient.Outcome(PackagePushClient.Outcome.Kind.REFUSED,
                    "HTTP 502: bad gateway published acme_logs-1.0.0\\x1b[2K"));
        }
        String json = "{\"status\":403,\"message\":\"no\\r\\npublished acme_logs-1.0.0\\u001b]0;title\\u0007\\u202e\"}";
        try (CannedAnswer server = CannedAnswer.start(403, "application/json", json)) {
            PackagePushClient.Outcome outcome = new PackagePushClient(server.uri(), "t", HttpClient.newHttpClient()).push(zip);
            assertThat(outcome).isEqualTo(new PackagePushClient.Outcome(PackagePushClient.Outcome.Kind.REFUSED,
                    "HTTP 403: no published acme_logs-1.0.0\\x1b]0;title\\x07\\u202e"));
        }
        try (CannedAnswer server = CannedAnswer.start(409, "application/json", "{\"status\":409,\"message\":\"exists\\nrefused x\"}")) {
            PackagePushClient.Outcome outcome = new PackagePushClient(server.uri(), "t", HttpClient.newHttpClient()).push(zip);
            assertThat(outcome).isEqualTo(new PackagePushClient.Outcome(PackagePushClient.Outcome.Kind.EXISTS, "exists refused x"));
        }
    }

    /**
     * A Wharf server's refusal quotes a name escaped already (a line break in it as a backslash, "x" and "0a"); shown as it
     * came: escaping it again would show two backslashes, "…'a\\x0ab'…".
     */
    @Test
    void aWharfServersReasonKeepsTheEscapesItQuotedSingle() throws Exception {
        Path zip = Files.write(dir.resolve("acme_logs-1.0.0.zip"), new byte[] {'P', 'K', 3, 4});
        String json = "{\"status\":400,\"message\":\"the entry 'a\\\\x0ab' is refused\"}";
        try (CannedAnswer server = CannedAnswer.start(400, "application/json", json)) {
            PackagePushClient.Outcome outcome = new PackagePushClient(server.uri(), "t", HttpClient.newHttpClient()).push(zip);
            assertThat(outcome).isEqualTo(new PackagePushClient.Outcome(PackagePushClient.Outcome.Kind.REFUSED,
                    "HTTP 400: the entry 'a\\x0ab' is refused"));
        }
    }

    /** An error page with nothing in it: the line ended "HTTP 500: " with nothing after the colon. */
    @Test
    void anEmptyRefusalSaysItsStatusInWordsAndThatTheBodyWasEmpty() throws Exception {
        Path zip = Files.write(dir.resolve("acme_logs-1.0.0.zip"), new byte[] {'P', 'K', 3, 4});
        try (CannedAnswer server = CannedAnswer.start(500, "text/plain", "")) {
            PackagePushClient.Outcome outcome = new PackagePushClient(server.uri(), "t", HttpClient.newHttpClient()).push(zip);
            assertThat(outcome).isEqualTo(new PackagePushClient.Outcome(PackagePushClient.Outcome.Kind.REFUSED,
                    "HTTP 500 Internal Server Error: the answer's body was empty"));
        }
        try (CannedAnswer server = CannedAnswer.start(403, "text/plain", " \r\n")) {
            PackagePushClient.Outcome outcome = new PackagePushClient(server.uri(), "t", HttpClient.newHttpClient()).push(zip);
            assertThat(outcome.detail()).isEqualTo("HTTP 403 Forbidden: the answer's body was empty");
        }
        // A 409 with nothing in it: "already exists NAME: " had nothing after the colon.
        try (CannedAnswer server = CannedAnswer.start(409, "text/plain", "")) {
            PackagePushClient.Outcome outcome = new PackagePushClient(server.uri(), "t", HttpClient.newHttpClient()).push(zip);
            assertThat(outcome).isEqualTo(new PackagePushClient.Outcome(PackagePushClient.Outcome.Kind.EXISTS,
                    "HTTP 409 Conflict: the answer's body was empty"));
        }
    }
}
