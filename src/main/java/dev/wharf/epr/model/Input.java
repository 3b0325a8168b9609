package dev.wharf.epr.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** An input of a policy template. */
@JsonPropertyOrder({"type", "package", "vars", "title", "description", "streams", "template_path", "input_group", "deployment_modes", "deprecated"})
public final class Input {
    public String type;
    @JsonProperty("package")
    public String packageName;
    public List<Variable> vars;
    public String title;
    public String description;
    public List<Stream> streams;
    @JsonProperty("template_path")
    public String templatePath;
    @JsonProperty("input_group")
    public String inputGroup;
    @JsonProperty("deployment_modes")
    public List<String> deploymentModes;
    public Deprecation deprecated;
}
