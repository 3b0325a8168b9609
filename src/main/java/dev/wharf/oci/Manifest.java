package dev.wharf.oci;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A resolved OCI image manifest. {@code digest} is the digest of the manifest bytes as the store
 * holds them, so anything derived from a manifest can be cached by it forever.
 */
public record Manifest(
        Digest digest,
        @Nullable String mediaType,
        @Nullable String artifactType,
        @Nullable Descriptor config,
        List<Descriptor> layers,
        Map<String, String> annotations) {

    public static final String OCI_IMAGE_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

    public Manifest {
        layers = List.copyOf(layers);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /** The artifact type, falling back to the config media type as OCI 1.1 prescribes. */
    public Optional<String> effectiveArtifactType() {
        if (artifactType != null && !artifactType.isEmpty()) {
            return Optional.of(artifactType);
        }
        return Optional.ofNullable(config).map(Descriptor::mediaType).filter(t -> !t.equals(OCI_EMPTY));
    }

    /** The first layer whose media type is {@code mediaType}. */
    public Optional<Descriptor> layer(String mediaType) {
        return layers.stream().filter(l -> mediaType.equals(l.mediaType())).findFirst();
    }
}
