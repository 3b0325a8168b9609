package dev.wharf.oci;

import java.nio.charset.StandardCharsets;

/**
 * The config blob of an artifact being pushed: OCI 1.1's empty one, or a small document that
 * describes the artifact (as Helm's chart config does), which readers can use without fetching a layer.
 * Content up to {@link #EMBED_LIMIT} bytes is also embedded in the manifest's config descriptor
 * (image-spec 1.1 "data"), so reading the manifest reads the config.
 */
public record ArtifactConfig(String mediaType, byte[] content) {
    /**
     * Registries accept manifests of 4 MiB (the spec's recommended limit); 64 KiB, a third more in
     * base64, leaves a manifest far below it and its download a single small read.
     */
    public static final int EMBED_LIMIT = 64 * 1024;
    public static final ArtifactConfig EMPTY = new ArtifactConfig(Manifest.OCI_EMPTY, "{}".getBytes(StandardCharsets.UTF_8));

    public ArtifactConfig {
        if (mediaType == null || mediaType.isBlank()) {
            throw new IllegalArgumentException("a config needs a media type");
        }
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    /** What the manifest says of this config: embedding it when it is small enough. */
    public Descriptor descriptor() {
        Descriptor embedded = Descriptor.embedding(mediaType, content);
        return content.length <= EMBED_LIMIT ? embedded
                : new Descriptor(mediaType, embedded.digest(), embedded.size(), embedded.annotations());
    }

    public BlobSource source() {
        return BlobSource.ofBytes(content);
    }
}
