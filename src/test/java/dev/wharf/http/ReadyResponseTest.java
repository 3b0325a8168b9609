package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.eclipse.jetty.http.HttpField;
import org.junit.jupiter.api.Test;

/** The headers a ready answer is written with, made once: in the router's order, with the length of the body they go with. */
class ReadyResponseTest {
    private static List<String> lines(HttpField[] fields) {
        return Arrays.stream(fields).map(f -> f.getName() + ": " + f.getValue()).toList();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void aSmallAnswerHasOneSetOfHeaders() {
        ReadyResponse r = new ReadyResponse(ReadyAnswer.of("/v1/x", "application/json",
                List.of(new ReadyAnswer.Header("Cache-Control", "no-cache")), "{\"a\":1}".getBytes(StandardCharsets.UTF_8), true));

        assertThat(r.hasGzip()).isFalse();
        assertThat(lines(r.headers(false))).containsExactly("Content-Type: application/json", "Cache-Control: no-cache",
                "Content-Length: 7");
        assertThat(r.headers(true)).isSameAs(r.headers(false));
        assertThat(r.headers(false)[2].getLongValue()).isEqualTo(7);
        // Weighed with its headers' text, kept in two encodings.
        assertThat(r.size()).isEqualTo(7 + 2 * ("Content-Type".length() + "application/json".length()
                + "Cache-Control".length() + "no-cache".length() + "Content-Length".length() + 1));
        assertThat(new String(bytes(r.body(false)), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    }

    @Test
    void aCompressedAnswerSaysSoAndGivesTheLengthOfWhatIsSent() throws IOException {
        byte[] body = "line of text\n".repeat(400).getBytes(StandardCharsets.UTF_8);
        ReadyResponse r = new ReadyResponse(ReadyAnswer.of("/ui/", "text/html;charset=utf-8",
                List.of(new ReadyAnswer.Header("X-Frame-Options", "DENY")), body, true));

        assertThat(r.hasGzip()).isTrue();
        assertThat(lines(r.headers(false))).containsExactly("Content-Type: text/html;charset=utf-8", "X-Frame-Options: DENY",
                "Vary: Accept-Encoding", "Content-Length: " + body.length);
        byte[] gzipped = bytes(r.body(true));
        assertThat(lines(r.headers(true))).containsExactly("Content-Type: text/html;charset=utf-8", "X-Frame-Options: DENY",
                "Vary: Accept-Encoding", "Content-Encoding: gzip", "Content-Length: " + gzipped.length);
        assertThat(gzipped.length).isLessThan(body.length);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            assertThat(in.readAllBytes()).isEqualTo(body);
        }
        // Each response gets its own position over the shared bytes.
        assertThat(r.body(false).remaining()).isEqualTo(body.length);
    }
}
