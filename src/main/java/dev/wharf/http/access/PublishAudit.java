package dev.wharf.http.access;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per publish over HTTP, accepted or refused, on the logger {@value #LOGGER}: who
 * (the token's name, never its secret), from where, what, the digests stored and the outcome;
 * as ECS-style fields for JSON logs. And {@code wharf_publish_total} counted by outcome.
 */
public final class PublishAudit {
    public static final String LOGGER = "wharf.publish";

    public enum Outcome {
        CREATED(201), EXISTS(409), INVALID(400), UNAUTHENTICATED(401), FORBIDDEN(403), TOO_LARGE(413), FAILED(500);

        private final int status;

        Outcome(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One publish: what kind ({@code module}, {@code provider}, {@code signing-key}, {@code package}) of what. */
    public record Entry(String kind, String caller, String client, String coordinates, Map<String, String> digests,
                        Outcome outcome, String reason, int status) {
        /** An entry answered with its outcome's own status. */
        public Entry(String kind, String caller, String client, String coordinates, Map<String, String> digests,
                     Outcome outcome, String reason) {
            this(kind, caller, client, coordinates, digests, outcome, reason, outcome.status());
        }
    }

    private final Logger log = LoggerFactory.getLogger(LOGGER);
    private final Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);

    public PublishAudit(MeterRegistry metrics) {
        for (Outcome outcome : Outcome.values()) {
            counters.put(outcome, Counter.builder("wharf_publish").description("Publishes over HTTP by outcome")
                    .tag("outcome", outcome.label()).register(metrics));
        }
    }

    public void record(Entry e) {
        java.util.Objects.requireNonNull(counters.get(e.outcome())).increment();
        String digests = e.digests().entrySet().stream().map(d -> d.getKey() + "=" + d.getValue()).collect(Collectors.joining(","));
        var line = (e.outcome() == Outcome.CREATED ? log.atInfo() : log.atWarn())
                .addKeyValue("event.action", "publish-" + e.kind())
                .addKeyValue("event.outcome", e.outcome() == Outcome.CREATED ? "success" : "failure")
                .addKeyValue("wharf.publish.outcome", e.outcome().label())
                .addKeyValue("user.name", e.caller())
                .addKeyValue("source.address", e.client())
                .addKeyValue("wharf.publish.coordinates", e.coordinates())
                .addKeyValue("wharf.publish.digests", digests)
                .addKeyValue("http.response.code", e.status());
        if (!e.reason().isEmpty()) {
            line = line.addKeyValue("error.message", e.reason());
        }
        line.log("publish {} {} by {} from {}: {} {}{}", e.kind(), e.coordinates(), e.caller(), e.client(), e.status(),
                e.outcome().label(), digests.isEmpty() ? "" : " " + digests);
    }
}
