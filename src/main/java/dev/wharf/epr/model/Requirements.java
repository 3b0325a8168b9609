package dev.wharf.epr.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** {@code requires}: input and content packages this one depends on. */
@JsonPropertyOrder({"input", "content"})
public final class Requirements {
    public List<Requirement> input;
    public List<Requirement> content;

    @JsonPropertyOrder({"package", "version"})
    public static final class Requirement {
        @JsonProperty("package")
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public String packageName = "";
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public String version = "";
    }
}
