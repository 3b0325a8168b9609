package dev.wharf.terraform.provider;

import dev.wharf.oci.Manifest;
import dev.wharf.terraform.layout.MediaTypes;
import java.util.List;

/** The plugin protocols a release declares: an annotation an upload puts on its SHA256SUMS manifest, 5.0 without one. */
final class ReleaseProtocols {
    static final List<String> DEFAULT = List.of("5.0");

    private ReleaseProtocols() {
    }

    static List<String> of(Manifest manifest) {
        String value = manifest.annotations().get(MediaTypes.PROTOCOLS_ANNOTATION);
        if (value == null && !manifest.layers().isEmpty()) {
            value = manifest.layers().get(0).annotations().get(MediaTypes.PROTOCOLS_ANNOTATION);
        }
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        return List.of(value.split("\\s*,\\s*"));
    }
}
