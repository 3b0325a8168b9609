package dev.wharf.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import java.util.TreeMap;

/**
 * Reads and writes OCI image manifests. Artifacts are written the way OCI 1.1 recommends for
 * non-image content: {@code artifactType} set, the empty descriptor as config unless the artifact
 * has its own ({@link ArtifactConfig}), one layer per file.
 * Reading is lenient about what other tools write (ORAS, skopeo, Docker v2 manifests) but refuses
 * what is not a manifest at all.
 */
public final class ManifestCodec {
    /**
     * The most bytes of one manifest Wharf reads, from a registry or from an image layout on disk: the
     * distribution spec's recommended limit, which registries apply to the manifests they accept, so no
     * manifest a registry could hold is refused; Wharf's own are a few KiB.
     */
    public static final int MAX_MANIFEST_BYTES = 4 << 20;

    private final ObjectMapper json;
    private final ManifestReader reader;

    public ManifestCodec(ObjectMapper json) {
        this.json = json;
        this.reader = new ManifestReader(json);
    }

    public ManifestCodec() {
        this(new ObjectMapper());
    }

    /** The manifest bytes for an artifact with the empty config whose layers have already been stored as {@code layers}. */
    public byte[] encode(String artifactType, List<Descriptor> layers, Map<String, String> annotations) {
        return encode(artifactType, ArtifactConfig.EMPTY.descriptor(), layers, annotations);
    }

    /**
     * The manifest bytes for an artifact whose config and layers have already been stored. A config
     * descriptor that embeds its content keeps it ({@link ArtifactConfig#descriptor}): readers then
     * need no round trip for the config. A null {@code artifactType} is left out: the portable form
     * for a registry that refuses media types it does not know (see {@code PortableManifests}).
     */
    public byte[] encode(@Nullable String artifactType, Descriptor config, List<Descriptor> layers, Map<String, String> annotations) {
        ObjectNode root = json.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", Manifest.OCI_IMAGE_MANIFEST);
        if (artifactType != null) {
            root.put("artifactType", artifactType);
        }
        root.set("config", descriptor(config));
        ArrayNode layerArray = root.putArray("layers");
        layers.forEach(layer -> layerArray.add(descriptor(layer)));
        if (!annotations.isEmpty()) {
            ObjectNode a = root.putObject("annotations");
            // Sorted: annotations often come from Map.of, whose order changes from JVM to JVM,
            // and the same input must give the same manifest digest in every process.
            new TreeMap<>(annotations).forEach(a::put);
        }
        try {
            return json.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a manifest", e);
        }
    }

    private ObjectNode descriptor(Descriptor d) {
        ObjectNode node = json.createObjectNode();
        node.put("mediaType", d.mediaType());
        node.put("digest", d.digest().toString());
        node.put("size", d.size());
        if (!d.annotations().isEmpty()) {
            ObjectNode a = node.putObject("annotations");
            new TreeMap<>(d.annotations()).forEach(a::put);
        }
        if (d.data() != null) {
            node.put("data", d.data());
        }
        return node;
    }

    /**
     * Parses manifest bytes. {@code contentType} is what the store said the bytes are (may be null);
     * throws {@link IllegalArgumentException} with a reason when the bytes are not a manifest.
     */
    public Manifest decode(Digest digest, byte[] bytes, @Nullable String contentType) {
        return reader.read(digest, bytes, contentType);
    }
}
