package dev.wharf.oci;

import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** An OCI content descriptor: what a manifest says about one blob. */
public record Descriptor(@Nullable String mediaType, Digest digest, long size, Map<String, String> annotations) {
    public static final String TITLE = "org.opencontainers.image.title";

    public Descriptor {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /** The file name the blob was pushed under ({@code org.opencontainers.image.title}), if any. */
    public Optional<String> title() {
        return Optional.ofNullable(annotations.get(TITLE));
    }
}
