package dev.wharf.terraform.module;

import dev.wharf.oci.StandardAnnotations;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a stored module version says about itself, from its manifest's standard annotations: the
 * discovery API and the versions answer's {@code source} (which Renovate and Dependabot read for
 * changelog links) come from here.
 *
 * @param publishedAt {@code org.opencontainers.image.created}, an RFC 3339 time
 * @param source      {@code org.opencontainers.image.source}, the module's source repository URL
 * @param description {@code org.opencontainers.image.description}
 */
public record ModuleMetadata(Optional<String> publishedAt, Optional<String> source, Optional<String> description) {
    public static ModuleMetadata of(Map<String, String> annotations) {
        return new ModuleMetadata(present(annotations.get(StandardAnnotations.CREATED)),
                present(annotations.get(StandardAnnotations.SOURCE)), present(annotations.get(StandardAnnotations.DESCRIPTION)));
    }

    private static Optional<String> present(@Nullable String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
