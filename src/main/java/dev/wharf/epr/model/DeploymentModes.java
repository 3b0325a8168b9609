package dev.wharf.epr.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

/** {@code deployment_modes} of a policy template. */
@JsonPropertyOrder({"default", "agentless"})
public final class DeploymentModes {
    @JsonProperty("default")
    public @Nullable Mode defaultMode;
    public @Nullable Mode agentless;

    @JsonPropertyOrder({"enabled", "is_default", "release"})
    public static final class Mode {
        @JsonInclude(JsonInclude.Include.ALWAYS)
        public boolean enabled;
        @JsonProperty("is_default")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        public @Nullable Boolean isDefault;
        public @Nullable String release;
    }
}
