package dev.wharf.epr.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** An input of a policy template. */
@JsonPropertyOrder({"type", "package", "vars", "title", "description", "streams", "template_path", "input_group", "deployment_modes", "deprecated"})
public final class Input {
    public @Nullable String type;
    @JsonProperty("package")
    public @Nullable String packageName;
    public @Nullable List<Variable> vars;
    public @Nullable String title;
    public @Nullable String description;
    public @Nullable List<Stream> streams;
    @JsonProperty("template_path")
    public @Nullable String templatePath;
    @JsonProperty("input_group")
    public @Nullable String inputGroup;
    @JsonProperty("deployment_modes")
    public @Nullable List<String> deploymentModes;
    public @Nullable Deprecation deprecated;
}
