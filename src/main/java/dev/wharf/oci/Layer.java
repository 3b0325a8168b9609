package dev.wharf.oci;

import java.util.Map;

/** One blob of an artifact being pushed, with its media type and annotations (the title, usually). */
public record Layer(String mediaType, BlobSource content, Map<String, String> annotations) {
    public Layer {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public static Layer file(String mediaType, String title, BlobSource content) {
        return new Layer(mediaType, content, Map.of(Descriptor.TITLE, title));
    }
}
