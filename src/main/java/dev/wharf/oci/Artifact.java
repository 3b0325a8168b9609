package dev.wharf.oci;

import java.util.List;
import java.util.Map;

/**
 * An OCI artifact to push: an image manifest with {@code artifactType}, a config (the empty one
 * unless the artifact describes itself, {@link ArtifactConfig}) and the given layers, in the form
 * OCI 1.1 recommends and distribution 2.8 already accepts.
 */
public record Artifact(String artifactType, ArtifactConfig config, List<Layer> layers, Map<String, String> annotations) {
    public Artifact {
        if (artifactType == null || artifactType.isBlank()) {
            throw new IllegalArgumentException("an artifact needs an artifactType");
        }
        if (config == null) {
            throw new IllegalArgumentException("an artifact needs a config, if only the empty one");
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("an artifact needs at least one layer");
        }
        if (layers.size() > ManifestReader.MAX_LAYERS) {
            // Pushed, its manifest would be refused by every read after it.
            throw new IllegalArgumentException("an artifact of " + layers.size() + " layers would not be read back: at most "
                    + ManifestReader.MAX_LAYERS + " are read");
        }
        layers = List.copyOf(layers);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /** With the empty config. */
    public Artifact(String artifactType, List<Layer> layers, Map<String, String> annotations) {
        this(artifactType, ArtifactConfig.EMPTY, layers, annotations);
    }

    public static Artifact single(String artifactType, Layer layer) {
        return new Artifact(artifactType, List.of(layer), Map.of());
    }
}
