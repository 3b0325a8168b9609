package dev.wharf.epr.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** {@code conditions}: which Kibana and Agent versions and which subscription a package needs. */
@JsonPropertyOrder({"kibana", "elastic", "agent"})
public final class Conditions {
    public VersionCondition kibana;
    public ElasticCondition elastic;
    public VersionCondition agent;

    public static final class VersionCondition {
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public String version = "";
    }

    @JsonPropertyOrder({"subscription", "capabilities"})
    public static final class ElasticCondition {
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public String subscription = "";
        public List<String> capabilities;
    }
}
