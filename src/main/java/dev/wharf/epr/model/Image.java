package dev.wharf.epr.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

/** An icon or screenshot: {@code src} inside the package, {@code path} the URL path it is served under. */
@JsonPropertyOrder({"src", "path", "title", "size", "type"})
public final class Image {
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String src = "";
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String path = "";
    public @Nullable String title;
    public @Nullable String size;
    public @Nullable String type;
}
