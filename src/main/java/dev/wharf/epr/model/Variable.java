package dev.wharf.epr.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/** A configuration variable of a package, input or stream, with the fields EPR publishes. */
@JsonPropertyOrder({"name", "type", "title", "description", "multi", "required", "show_user", "default", "deprecated"})
public final class Variable {
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String name = "";
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String type = "";
    public @Nullable String title;
    public @Nullable String description;
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public boolean multi;
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public boolean required;
    @JsonProperty("show_user")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public boolean showUser;
    @JsonProperty("default")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public @Nullable JsonNode defaultValue;

    /** {@code default:} with no value, or {@code ~}, is no default: EPR leaves the key out (omitempty on a nil). */
    @JsonSetter("default")
    void setDefaultValue(@Nullable JsonNode value) {
        defaultValue = value == null || value.isNull() ? null : value;
    }
    public @Nullable Deprecation deprecated;
}
