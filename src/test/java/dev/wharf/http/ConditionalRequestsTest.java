package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.eclipse.jetty.http.DateGenerator;
import org.junit.jupiter.api.Test;

/** Conditional requests as a whole (NotModified), over a real server, where they differ from what a list parser sees. */
class ConditionalRequestsTest {
    private static final Instant MODIFIED = Instant.parse("2024-05-01T10:00:00Z");

    @Test
    void anEmptyIfNoneMatchIsAbsentSoIfModifiedSinceDecides() throws Exception {
        try (WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), cfg -> cfg.routes.get("/file", ctx -> {
            if (!NotModified.answered(ctx, "sha256:abc", MODIFIED)) {
                ctx.result("body");
            }
        }))) {
            String since = DateGenerator.formatDate(MODIFIED.plusSeconds(60));
            RawExchange answer = RawExchange.send(server.port(),
                    "GET /file HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None-Match: \r\nIf-Modified-Since: " + since + "\r\nConnection: close\r\n\r\n");

            assertThat(answer.statusLine()).as("Go's ServeContent: an empty If-None-Match is none").isEqualTo("HTTP/1.1 304 Not Modified");
            assertThat(answer.body()).isEmpty();
        }
    }
}
