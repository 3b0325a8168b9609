package dev.wharf.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import co.elastic.logging.JsonUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.http.AccessLine;
import dev.wharf.http.Exchange;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/**
 * An access line in each JSON format is the line the encoders wrote before access lines carried
 * their own fields: the same bytes from the ECS writer's direct path as from Elastic's encoder, and
 * the same as the message-and-pairs event the access log used to make.
 */
class AccessLineEncodingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIME = 1_764_820_800_123L;
    private final LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();

    /** Exchanges whose text needs every kind of quoting: quotes, backslashes, controls, DEL, accents, a surrogate pair. */
    private static List<Exchange> exchanges() {
        return List.of(
                new Exchange("/search", "GET", "/search", "kibana.version=8.15.0", "HTTP/1.1", 200, 0, 48_277, 39_797_504, "127.0.0.1",
                        "curl/7.88.1"),
                new Exchange("/health", "HEAD", "/health", null, "HTTP/1.1", 503, 0, 0, 49_999, "10.0.0.9", null),
                new Exchange("/epr/{name}/{file}", "GET", "/epr/caf\u00e9/a\\b\"c.zip", "signature=abc&q=\u0001\u007f\t{}", "HTTP/2.0",
                        404, 12, 0, 1, "::1", "agent \"x\" \\ \u2028 \ud83d\ude00 {}"),
                new Exchange(Exchange.UNMATCHED, "GET", "/wp-login.php", "", "HTTP/1.0", 404, 0, 0, 1_000, null, ""),
                new Exchange("/categories", "GET", "/categories", null, "HTTP/1.1", 200, 0, 589, 80_000, "192.168.1.20", "Kibana/8.15.0",
                        "epr.example.com", 8443, "https://kibana.example.com/app/fleet?token=abc&q=\"caf\u00e9\""),
                new Exchange("/categories", "GET", "/categories", null, "HTTP/1.1", 200, 0, 589, 80_000, "fe80::1%eth0", null,
                        "::1", -1, ""));
    }

    private LoggingEvent accessEvent(Exchange e, Level level) {
        LoggingEvent event = new LoggingEvent("test", context.getLogger("http.access"), level, AccessLine.FORMAT, null,
                new Object[] {new AccessLine(e)});
        event.setTimeStamp(TIME);
        event.setThreadName("JettyServerThreadPool-22");
        return event;
    }

    /** What the access log made for a JSON log until session 28: the text as the message, the fields as pairs. */
    private LoggingEvent legacyEvent(Exchange e, Level level) {
        AccessLine line = new AccessLine(e);
        LoggingEvent event = new LoggingEvent("test", context.getLogger("http.access"), level, line.toString(), null, null);
        event.setTimeStamp(TIME);
        event.setThreadName("JettyServerThreadPool-22");
        line.writeFields(new AccessLine.FieldWriter() {
            @Override
            public void text(String key, @Nullable String value) {
                event.addKeyValuePair(new KeyValuePair(key, value));
            }

            @Override
            public void number(String key, long value) {
                event.addKeyValuePair(new KeyValuePair(key, key.equals("http.response.code") ? (Object) (int) value : (Object) value));
            }
        });
        return event;
    }

    private EcsKeyValueEncoder elastic() {
        EcsKeyValueEncoder encoder = new EcsKeyValueEncoder();
        encoder.setServiceName("package-registry");
        encoder.setServiceVersion("1.40.1");
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }

    private static String batched(LineEncoder encoder, List<LoggingEvent> events) throws Exception {
        LineBatch batch = new LineBatch(StandardCharsets.US_ASCII);
        for (LoggingEvent event : events) {
            encoder.encodeInto(event, batch);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        batch.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void ecsAccessLinesAreElasticsLinesByteForByte() throws Exception {
        EcsAccessLineEncoder direct = new EcsAccessLineEncoder("package-registry", "1.40.1");
        direct.setContext(context);
        direct.start();
        EcsKeyValueEncoder elastic = elastic();
        List<LoggingEvent> events = new ArrayList<>();
        StringBuilder expected = new StringBuilder();
        StringBuilder legacy = new StringBuilder();
        for (Exchange e : exchanges()) {
            for (Level level : List.of(Level.INFO, Level.DEBUG)) {
                LoggingEvent event = accessEvent(e, level);
                events.add(event);
                expected.append(new String(elastic.encode(event), StandardCharsets.UTF_8));
                legacy.append(new String(elastic.encode(legacyEvent(e, level)), StandardCharsets.UTF_8));
            }
        }
        // The batch's own charset is ASCII here: the ECS lines are UTF-8 whatever the platform's is.
        String lines = batched(direct, events);
        assertThat(lines).isEqualTo(expected.toString()).isEqualTo(legacy.toString());
        assertThat(lines.lines()).hasSize(12);
        JsonNode first = JSON.readTree(lines.lines().findFirst().orElseThrow());
        assertThat(first.get("message").asText())
                .isEqualTo("GET /search?kibana.version=8.15.0 HTTP/1.1 200 48277B 39.8ms 127.0.0.1 \"curl/7.88.1\"");
        assertThat(first.get("http.response.code").isInt()).isTrue();
        assertThat(first.get("event.duration").asLong()).isEqualTo(39_797_504L);
        assertThat(first.get("process.thread.name").asText()).isEqualTo("JettyServerThreadPool-22");
        JsonNode third = JSON.readTree(lines.lines().skip(4).findFirst().orElseThrow());
        assertThat(third.get("url.path").asText()).isEqualTo("/epr/caf\u00e9/a\\b\"c.zip");
        assertThat(third.get("url.query").asText()).isEqualTo("signature=REDACTED&q=\u0001\u007f\t{}");
        assertThat(third.get("user_agent.original").asText()).isEqualTo("agent \"x\" \\ \u2028 \ud83d\ude00 {}");
        JsonNode last = JSON.readTree(lines.lines().skip(6).findFirst().orElseThrow());
        assertThat(last.get("source.address").isNull()).isTrue();
        assertThat(last.has("url.query")).as("an empty query is no field").isFalse();
        assertThat(last.get("user_agent.original").asText()).isEmpty();
    }

    @Test
    void otherEventsOnTheAccessLoggerAreElasticsOwn() throws Exception {
        EcsAccessLineEncoder direct = new EcsAccessLineEncoder("package-registry", "1.40.1");
        direct.setContext(context);
        direct.start();
        LoggingEvent plain = new LoggingEvent("test", context.getLogger("http.access"), Level.WARN, "dropped {} lines", null,
                new Object[] {3});
        plain.setTimeStamp(TIME);
        LoggingEvent thrown = accessEvent(exchanges().get(0), Level.INFO);
        thrown.setThrowableProxy(new ch.qos.logback.classic.spi.ThrowableProxy(new IllegalStateException("boom")));
        String expected = new String(elastic().encode(plain), StandardCharsets.UTF_8) + new String(elastic().encode(thrown), StandardCharsets.UTF_8);
        assertThat(batched(direct, List.of(plain, thrown))).isEqualTo(expected).contains("dropped 3 lines", "boom");
    }

    @Test
    void theMessageIsQuotedExactlyAsElasticsSerializerQuotesIt() {
        Random random = new Random(28);
        String alphabet = "az09 /?&=.-_{}<>\"\\\t\n\r\b\f\u0000\u0001\u001f\u007f\u0080\u00e9\u2028\u2029\ud83d\ude00\ud800";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(16); n > 0; n--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            StringBuilder ours = new StringBuilder("x");
            EcsAccessLineEncoder.quote(text, ours);
            StringBuilder elastic = new StringBuilder("x");
            JsonUtils.quoteAsString(text, elastic);
            assertThat(ours.toString()).as("%s", text).isEqualTo(elastic.toString());
        }
    }

    @Test
    void boringRegistryJsonAccessLinesHaveTheTextAndFieldsAndNoArgs() throws Exception {
        JsonLinesEncoder encoder = new JsonLinesEncoder();
        encoder.setContext(context);
        encoder.start();
        for (Exchange e : exchanges()) {
            String line = new String(encoder.encode(accessEvent(e, Level.INFO)), StandardCharsets.UTF_8);
            String before = new String(encoder.encode(legacyEvent(e, Level.INFO)), StandardCharsets.UTF_8);
            assertThat(line).isEqualTo(before);
            JsonNode json = JSON.readTree(line);
            assertThat(json.has("args")).isFalse();
            assertThat(json.get("msg").asText()).isEqualTo(new AccessLine(e).toString());
            assertThat(json.get("http.response.code").asInt()).isEqualTo(e.status());
            assertThat(json.get("url.path").asText()).isEqualTo(e.path());
        }
    }
}
