package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The access line as an operator reads it: every part in its place, text a client sent (path, query,
 * user agent) kept as sent even where it looks like a placeholder, signatures in the query redacted,
 * and, in a JSON log, the typed fields beside it.
 */
class AccessLogLineTest {
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private AccessLog log;
    private ch.qos.logback.classic.Logger logger;

    @BeforeEach
    void logger() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        lines.setContext(context);
        lines.start();
        logger = context.getLogger("test.access.line." + System.nanoTime());
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        logger.addAppender(lines);
        log = new AccessLog(logger, Set.of());
    }

    /** logback keeps every logger for the JVM's life: one left with a level and an appender keeps its lines with it. */
    @AfterEach
    void detach() {
        logger.detachAppender(lines);
        logger.setLevel(null);
        lines.stop();
    }

    @Test
    void theLineReadsAsBeforeWithTheClientsTextKeptAsSent() {
        log.exchanged(new Exchange("/v1/modules/{namespace}/{name}/{provider}/versions", "GET", "/v1/modules/a/{}/aws/versions",
                "q={}&x=1", "HTTP/1.1", 200, 0, 228, 1_250_000, "10.0.0.7", "Terraform/1.11.4 {} \"x\""));

        assertThat(lines.list).hasSize(1);
        ILoggingEvent line = lines.list.get(0);
        assertThat(line.getFormattedMessage()).isEqualTo(
                "GET /v1/modules/a/{}/aws/versions?q={}&x=1 HTTP/1.1 200 228B 1.3ms 10.0.0.7 \"Terraform/1.11.4 {} \"x\"\"");
        assertThat(line.getMessage()).as("the text is made by the log's writer").isEqualTo("{}");
        assertThat(line.getKeyValuePairs()).as("the fields too: the line carries them").isNullOrEmpty();
        assertThat(AccessLineFields.of(line)).containsExactly(entry("source.address", "10.0.0.7"),
                entry("http.request.method", "GET"), entry("url.path", "/v1/modules/a/{}/aws/versions"),
                entry("http.route", "/v1/modules/{namespace}/{name}/{provider}/versions"), entry("http.response.code", 200L),
                entry("http.response.body.bytes", 228L), entry("event.duration", 1_250_000L), entry("source.ip", "10.0.0.7"),
                entry("user_agent.original", "Terraform/1.11.4 {} \"x\""), entry("url.query", "q={}&x=1"));
    }

    /**
     * EPR's access lines (its internal/util/logging.go) also carry the host and port the request named,
     * the client as an IP field and the referer: the fields a dashboard built on EPR's logs reads.
     */
    @Test
    void theFieldsEprsLinesHaveTooInItsOrder() {
        log.exchanged(new Exchange("/search", "GET", "/search", "kibana.version=8.15.0", "HTTP/1.1", 200, 0, 48_277, 900_000,
                "10.0.0.7", "Kibana/8.15.0", "epr.example.com", 8443, "https://kibana.example.com/app/fleet?token=abc&x=1#top"));
        log.exchanged(new Exchange("/search", "GET", "/search", null, "HTTP/1.1", 200, 0, 2, 1_000, "0:0:0:0:0:0:0:1", null,
                "::1", -1, null));
        log.exchanged(new Exchange("/search", "GET", "/search", null, "HTTP/1.1", 200, 0, 2, 1_000, "[fe80::1%eth0]", null,
                "[::1]", 8080, null));
        log.exchanged(new Exchange("/search", "GET", "/search", null, "HTTP/1.1", 200, 0, 2, 1_000, "unix:/run/wharf.sock", null,
                null, -1, null));

        assertThat(AccessLineFields.of(lines.list.get(0))).containsExactly(entry("source.address", "10.0.0.7"),
                entry("http.request.method", "GET"), entry("url.path", "/search"), entry("url.domain", "epr.example.com"),
                entry("http.route", "/search"), entry("http.response.code", 200L), entry("http.response.body.bytes", 48_277L),
                entry("event.duration", 900_000L), entry("source.ip", "10.0.0.7"),
                entry("http.request.referer", "https://kibana.example.com/app/fleet?token=REDACTED&x=1#top"),
                entry("user_agent.original", "Kibana/8.15.0"), entry("url.query", "kibana.version=8.15.0"), entry("url.port", 8443L));
        assertThat(AccessLineFields.of(lines.list.get(1))).containsEntry("url.domain", "[::1]")
                .containsEntry("source.ip", "0:0:0:0:0:0:0:1").doesNotContainKeys("url.port", "http.request.referer", "source.domain");
        assertThat(AccessLineFields.of(lines.list.get(2))).containsEntry("url.domain", "[::1]").containsEntry("url.port", 8080L)
                .containsEntry("source.ip", "fe80::1%eth0");
        assertThat(AccessLineFields.of(lines.list.get(3))).containsEntry("source.domain", "unix:/run/wharf.sock")
                .doesNotContainKeys("source.ip", "url.domain");
        assertThat(lines.list.get(0).getFormattedMessage()).as("the text line is as before")
                .isEqualTo("GET /search?kibana.version=8.15.0 HTTP/1.1 200 48277B 0.9ms 10.0.0.7 \"Kibana/8.15.0\"");
    }

    @Test
    void noUserAgentReadsAsADashAndIsNoField() {
        log.exchanged(new Exchange("/health", "HEAD", "/health", null, "HTTP/1.1", 503, 0, 0, 49_999, "127.0.0.1", null));

        assertThat(lines.list.get(0).getFormattedMessage()).isEqualTo("HEAD /health HTTP/1.1 503 0B 0.0ms 127.0.0.1 \"-\"");
        assertThat(AccessLineFields.of(lines.list.get(0))).doesNotContainKeys("user_agent.original", "url.query");
    }

    @Test
    void probesOnlyAtDebug() {
        log.exchanged(new Exchange("/v1/modules/{namespace}/{name}/{provider}/versions", "GET", "/v1/modules/a/b/aws/versions",
                "q=1", "HTTP/1.1", 200, 0, 228, 1_250_000, "10.0.0.7", "Terraform/1.11.4"));
        log.exchanged(new Exchange(Exchange.UNMATCHED, "GET", "/wp-login.php", null, "HTTP/1.1", 404, 0, 0, 1_000, "10.0.0.9", null));

        assertThat(lines.list).as("the probe no route matched stays below info").hasSize(1);
        assertThat(lines.list.get(0).getFormattedMessage())
                .isEqualTo("GET /v1/modules/a/b/aws/versions?q=1 HTTP/1.1 200 228B 1.3ms 10.0.0.7 \"Terraform/1.11.4\"");

        logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
        log.exchanged(new Exchange(Exchange.UNMATCHED, "GET", "/wp-login.php", null, "HTTP/1.1", 404, 0, 0, 1_000, "10.0.0.9", null));
        assertThat(lines.list).hasSize(2);
        assertThat(lines.list.get(1).getLevel()).isEqualTo(ch.qos.logback.classic.Level.DEBUG);
    }

    @Test
    void aRefusedTokenIsLoggedAtInfoThoughTheCheckAnsweredBeforeAnyRoute() {
        log.exchanged(new Exchange(Exchange.UNMATCHED, "GET", "/v1/modules/a/b/aws/versions", null, "HTTP/1.1", 401, 0, 48, 1_000,
                "10.0.0.9", "curl/8"));
        log.exchanged(new Exchange(Exchange.UNMATCHED, "PUT", "/api/v1/modules/a/b/aws/1.0.0", null, "HTTP/1.1", 403, 0, 48, 1_000,
                "10.0.0.9", "curl/8"));
        // Throttled (CredentialThrottle): refused unchecked, before any route too.
        log.exchanged(new Exchange(Exchange.UNMATCHED, "GET", "/v1/modules/a/b/aws/versions", null, "HTTP/1.1", 429, 0, 70, 1_000,
                "10.0.0.9", "curl/8"));
        assertThat(lines.list).hasSize(3).allSatisfy(l -> assertThat(l.getLevel()).isEqualTo(ch.qos.logback.classic.Level.INFO));
        assertThat(lines.list.get(0).getFormattedMessage()).startsWith("GET /v1/modules/a/b/aws/versions HTTP/1.1 401 48B");
        assertThat(lines.list.get(2).getFormattedMessage()).startsWith("GET /v1/modules/a/b/aws/versions HTTP/1.1 429 70B");
    }

    @Test
    void theLineKeepsPlaceholdersAsSentAndRedactsSignaturesInTextAndFields() {
        log.exchanged(new Exchange("/v1/files/{name}", "GET", "/v1/files/{}.zip", "signature=abc&q={}", "HTTP/1.1", 200, 0, 10,
                2_000_000, "10.0.0.7", "agent {} {}"));

        assertThat(lines.list.get(0).getFormattedMessage())
                .isEqualTo("GET /v1/files/{}.zip?signature=REDACTED&q={} HTTP/1.1 200 10B 2.0ms 10.0.0.7 \"agent {} {}\"");
        assertThat(AccessLineFields.of(lines.list.get(0))).containsEntry("url.query", "signature=REDACTED&q={}");
    }

    @Test
    void theUnloggedPathIsLeftOutOnlyWithoutAQuery() {
        AccessLog epr = new AccessLog(logger, Set.of("/health"));
        epr.exchanged(new Exchange("/health", "GET", "/health", null, "HTTP/1.1", 200, 0, 20, 1_000, "10.0.0.1", "kube-probe/1.31"));
        epr.exchanged(new Exchange("/health", "GET", "/health", "ready=true", "HTTP/1.1", 200, 0, 20, 1_000, "10.0.0.1", "kube-probe/1.31"));
        epr.exchanged(new Exchange("/healthz", "GET", "/healthz", null, "HTTP/1.1", 200, 0, 20, 1_000, "10.0.0.1", "kube-probe/1.31"));

        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).map(m -> m.substring(0, m.indexOf(" HTTP/")))
                .containsExactly("GET /health?ready=true", "GET /healthz");
    }
}
