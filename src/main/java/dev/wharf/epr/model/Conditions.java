package dev.wharf.epr.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code conditions}: which Kibana and Agent versions and which subscription a package needs. */
@JsonPropertyOrder({"kibana", "elastic", "agent"})
public final class Conditions {
    public @Nullable VersionCondition kibana;
    public @Nullable ElasticCondition elastic;
    public @Nullable VersionCondition agent;

    public static final class VersionCondition {
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public String version = "";
    }

    @JsonPropertyOrder({"subscription", "capabilities"})
    public static final class ElasticCondition {
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public String subscription = "";
        public @Nullable List<String> capabilities;
    }
}
