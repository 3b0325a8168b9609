package dev.wharf.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/** The JSON lines of both programs keep the message's content: arguments filled in, and as fields. */
class EncodersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();

    private LoggingEvent event() {
        LoggingEvent event = new LoggingEvent("test", context.getLogger("dev.wharf.test"), Level.INFO,
                "storage: OCI registry {}, repository {}", null, new Object[] {"registry.example.com", "boring-registry"});
        event.addKeyValuePair(new KeyValuePair("http.response.code", 200));
        event.addKeyValuePair(new KeyValuePair("url.path", "/v1/modules/a/b/c/versions"));
        return event;
    }

    @Test
    void boringRegistryJsonFillsInTheMessageAndKeepsArgumentsAndFields() throws Exception {
        JsonLinesEncoder encoder = new JsonLinesEncoder();
        encoder.setContext(context);
        encoder.start();
        String line = new String(encoder.encode(event()), StandardCharsets.UTF_8);
        assertThat(line).endsWith("\n").doesNotContain("{}");
        JsonNode json = JSON.readTree(line);
        assertThat(json.get("msg").asText()).isEqualTo("storage: OCI registry registry.example.com, repository boring-registry");
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(json.get("args")).hasSize(2);
        assertThat(json.get("args").get(0).asText()).isEqualTo("registry.example.com");
        assertThat(json.get("http.response.code").isInt()).isTrue();
        assertThat(json.get("http.response.code").asInt()).isEqualTo(200);
        assertThat(json.get("url.path").asText()).isEqualTo("/v1/modules/a/b/c/versions");
    }

    @Test
    void packageRegistryEcsHasTheEcsFieldsAndTypedKeyValues() throws Exception {
        EcsKeyValueEncoder encoder = new EcsKeyValueEncoder();
        encoder.setServiceName("package-registry");
        encoder.setContext(context);
        encoder.start();
        JsonNode json = JSON.readTree(new String(encoder.encode(event()), StandardCharsets.UTF_8));
        for (String field : List.of("@timestamp", "log.level", "message", "ecs.version", "service.name")) {
            assertThat(json.has(field)).as(field + " in " + json).isTrue();
        }
        assertThat(json.get("message").asText()).isEqualTo("storage: OCI registry registry.example.com, repository boring-registry");
        assertThat(json.get("service.name").asText()).isEqualTo("package-registry");
        assertThat(json.get("http.response.code").isInt()).isTrue();
        assertThat(json.get("url.path").asText()).isEqualTo("/v1/modules/a/b/c/versions");
    }

    @Test
    void ecsKeyValuesAreQuotedExactlyAsJacksonQuotesThem() throws Exception {
        java.util.Random random = new java.util.Random(9);
        String alphabet = "az09 /?&=.-_{}\"\\\t\n\u0001\u007f\u00e9\u2028\ud83d\ude00<>";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            StringBuilder ours = new StringBuilder();
            EcsFieldWriter.quote(text.toString(), ours);
            StringBuilder jackson = new StringBuilder();
            com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text.toString(), jackson);
            assertThat(ours.toString()).as("%s", text).isEqualTo(jackson.toString());
        }
        EcsKeyValueEncoder encoder = new EcsKeyValueEncoder();
        encoder.setContext(context);
        encoder.start();
        LoggingEvent event = event();
        event.addKeyValuePair(new KeyValuePair("user_agent.original", "curl/8 \"quoted\" \u0007 caf\u00e9"));
        JsonNode json = JSON.readTree(new String(encoder.encode(event), StandardCharsets.UTF_8));
        assertThat(json.get("user_agent.original").asText()).isEqualTo("curl/8 \"quoted\" \u0007 caf\u00e9");
    }
}
