package dev.wharf.epr.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code requires}: input and content packages this one depends on. */
@JsonPropertyOrder({"input", "content"})
public final class Requirements {
    public @Nullable List<Requirement> input;
    public @Nullable List<Requirement> content;

    @JsonPropertyOrder({"package", "version"})
    public static final class Requirement {
        @JsonProperty("package")
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public String packageName = "";
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public String version = "";
    }
}
