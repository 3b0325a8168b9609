package dev.wharf.epr.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A stream of a data stream or of a policy template input. */
@JsonPropertyOrder({"input", "package", "vars", "data_stream", "template_path", "title", "description", "enabled", "ingestion_method"})
public final class Stream {
    public @Nullable String input;
    @JsonProperty("package")
    public @Nullable String packageName;
    public @Nullable List<Variable> vars;
    @JsonProperty("data_stream")
    public @Nullable String dataStream;
    @JsonProperty("template_path")
    public @Nullable String templatePath;
    public @Nullable String title;
    public @Nullable String description;
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public @Nullable Boolean enabled;
    @JsonProperty("ingestion_method")
    public @Nullable String ingestionMethod;
}
