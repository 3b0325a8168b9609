package dev.wharf.epr.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** A stream of a data stream or of a policy template input. */
@JsonPropertyOrder({"input", "package", "vars", "data_stream", "template_path", "title", "description", "enabled", "ingestion_method"})
public final class Stream {
    public String input;
    @JsonProperty("package")
    public String packageName;
    public List<Variable> vars;
    @JsonProperty("data_stream")
    public String dataStream;
    @JsonProperty("template_path")
    public String templatePath;
    public String title;
    public String description;
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public Boolean enabled;
    @JsonProperty("ingestion_method")
    public String ingestionMethod;
}
