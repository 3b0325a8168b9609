package dev.wharf.epr.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

/** {@code deprecated}: since when, why, and what replaces it. */
@JsonPropertyOrder({"since", "description", "replaced_by"})
public final class Deprecation {
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String since = "";
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String description = "";
    @JsonProperty("replaced_by")
    public @Nullable ReplacedBy replacedBy;

    @JsonPropertyOrder({"package", "policy_template", "input", "data_stream", "variable"})
    public static final class ReplacedBy {
        @JsonProperty("package")
        public @Nullable String packageName;
        @JsonProperty("policy_template")
        public @Nullable String policyTemplate;
        public @Nullable String input;
        @JsonProperty("data_stream")
        public @Nullable String dataStream;
        public @Nullable String variable;
    }
}
