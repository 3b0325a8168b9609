package dev.wharf.epr.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A policy template as the full package document shows it. */
@JsonPropertyOrder({"name", "title", "description", "data_streams", "inputs", "multiple", "icons", "categories",
    "screenshots", "readme", "deployment_modes", "type", "input", "ingestion_method", "template_path", "deprecated"})
public final class PolicyTemplate {
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String name = "";
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String title = "";
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String description = "";
    @JsonProperty("data_streams")
    public @Nullable List<String> dataStreams;
    public @Nullable List<Input> inputs;
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public @Nullable Boolean multiple;
    public @Nullable List<Image> icons;
    public @Nullable List<String> categories;
    public @Nullable List<Image> screenshots;
    public @Nullable String readme;
    @JsonProperty("deployment_modes")
    public @Nullable DeploymentModes deploymentModes;
    public @Nullable String type;
    public @Nullable String input;
    @JsonProperty("ingestion_method")
    public @Nullable String ingestionMethod;
    @JsonProperty("template_path")
    public @Nullable String templatePath;
    public @Nullable Deprecation deprecated;

    /** The short form {@code /search} lists. */
    public Summary summary() {
        Summary s = new Summary();
        s.name = name;
        s.title = title;
        s.description = description;
        s.icons = icons;
        s.categories = categories;
        s.deploymentModes = deploymentModes;
        s.dataStreams = dataStreams;
        s.deprecated = deprecated;
        return s;
    }

    @JsonPropertyOrder({"name", "title", "description", "icons", "categories", "deployment_modes", "data_streams", "deprecated"})
    public static final class Summary {
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public String name = "";
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public String title = "";
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public String description = "";
        public @Nullable List<Image> icons;
        public @Nullable List<String> categories;
        @JsonProperty("deployment_modes")
        public @Nullable DeploymentModes deploymentModes;
        @JsonProperty("data_streams")
        public @Nullable List<String> dataStreams;
        public @Nullable Deprecation deprecated;
    }
}
