package dev.wharf.oci;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads manifest bytes token by token into the records, where a Jackson tree of them was built
 * first: a tree of a 4 MiB {@code {"layers":[{},{},…]}} took about 134 MB per lookup (a map per
 * empty object), and lookups run eight at a time. Only the descriptors are kept, and none after the
 * first bad one. What the tree reading took and refused is taken and refused alike, with the same
 * message: the whole document is still read, so a syntax error anywhere wins; then an image index,
 * then a missing layers array, then the first bad layer, then a bad config; a repeated key counts
 * by its last value, and values are read as the tree's {@code asText} gave them. One refusal comes first:
 * a layers array longer than {@link #MAX_LAYERS} is refused at the first layer past the bound, the rest
 * of the document unread.
 */
final class ManifestReader {
    /**
     * The most layers of a manifest Wharf reads. Every artifact Wharf writes has one or two (a module
     * archive, a provider file, a mirror archive; an EPR package's zip and its signature), and a container
     * image cannot pass 125 (Docker's layer store refuses a deeper chain); 1,000 leaves a wide margin for
     * other tools' artifacts. Unbounded, a valid 4 MiB manifest of some 34,000 layers kept a descriptor of
     * each, about 21 MB a lookup, and lookups run eight at a time.
     */
    static final int MAX_LAYERS = 1_000;

    private final ObjectMapper json;

    ManifestReader(ObjectMapper json) {
        this.json = json;
    }

    Manifest read(Digest digest, byte[] bytes, @Nullable String contentType) {
        // Through the mapper, so the parser has the mapper's read features, as readTree's had.
        try (JsonParser p = json.createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                if (first != null) {
                    walk(p);
                }
                throw new IllegalArgumentException("not a JSON manifest object");
            }
            return root(p, digest, contentType);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON manifest: " + e.getMessage());
        }
    }

    private static Manifest root(JsonParser p, Digest digest, @Nullable String contentType) throws IOException {
        String mediaType = null;
        String artifactType = null;
        boolean index = false;
        Layers layers = null;
        Read config = null;
        Map<String, String> annotations = Map.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "mediaType" -> mediaType = text(p);
                case "artifactType" -> artifactType = text(p);
                case "manifests" -> {
                    // An index is refused whatever it lists, so its descriptors are not read.
                    index = true;
                    walk(p);
                }
                case "layers" -> layers = layers(p);
                case "config" -> config = descriptor(p);
                case "annotations" -> annotations = annotations(p);
                default -> walk(p);
            }
        }
        if (mediaType == null) {
            mediaType = contentType;
        }
        if (index) {
            throw new IllegalArgumentException("an image index (multi-platform image), not an artifact manifest");
        }
        if (layers == null) {
            throw new IllegalArgumentException("manifest has no layers array");
        }
        IllegalArgumentException layerRefusal = layers.refusal();
        if (layerRefusal != null) {
            throw layerRefusal;
        }
        Descriptor configDescriptor = null;
        if (config != null) {
            IllegalArgumentException configRefusal = config.refusal();
            if (configRefusal != null) {
                throw configRefusal;
            }
            configDescriptor = config.descriptor();
        }
        return new Manifest(digest, mediaType, artifactType, configDescriptor, layers.descriptors(), annotations);
    }

    /** The layers, or none when the value is no array; reading stops keeping them at the first bad one. */
    private static @Nullable Layers layers(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            walk(p);
            return null;
        }
        List<Descriptor> descriptors = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (descriptors.size() == MAX_LAYERS) {
                throw new TooManyLayersException(MAX_LAYERS);
            }
            Read layer = descriptor(p);
            IllegalArgumentException refusal = layer.refusal();
            Descriptor descriptor = layer.descriptor();
            if (refusal != null || descriptor == null) {
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    walk(p);
                }
                return new Layers(List.of(), refusal);
            }
            descriptors.add(descriptor);
        }
        return new Layers(descriptors, null);
    }

    /** One descriptor, its checks in the order the tree reading made them. */
    private static Read descriptor(JsonParser p) throws IOException {
        String mediaType = null;
        String digest = null;
        Long size = null;
        Map<String, String> annotations = Map.of();
        String data = null;
        if (p.currentToken() == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "mediaType" -> mediaType = text(p);
                    case "digest" -> digest = text(p);
                    case "size" -> size = size(p);
                    case "annotations" -> annotations = annotations(p);
                    case "data" -> data = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : skipped(p);
                    default -> walk(p);
                }
            }
        } else {
            walk(p);
        }
        if (digest == null || size == null) {
            return Read.refused("descriptor without digest or size");
        }
        if (size < 0) {
            // Served as the Content-Length it would have made a body of unknown length (chunked) look announced.
            return Read.refused("descriptor of " + digest + " with a negative size (" + size + ")");
        }
        try {
            return new Read(new Descriptor(mediaType, Digest.parse(digest), size, annotations, data), null);
        } catch (IllegalArgumentException e) {
            return new Read(null, e);
        }
    }

    /** The size as a long, or null when the tree's {@code canConvertToLong} said no (a float is cut, as {@code asLong} did). */
    private static @Nullable Long size(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case VALUE_NUMBER_INT -> {
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? null : p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                double value = p.getDoubleValue();
                return value >= Long.MIN_VALUE && value <= Long.MAX_VALUE ? (long) value : null;
            }
            default -> {
                return skipped(p);
            }
        }
    }

    private static Map<String, String> annotations(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            walk(p);
            return Map.of();
        }
        Map<String, String> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            String value = text(p);
            map.put(name, value == null ? "null" : value);
        }
        return map;
    }

    /** The value as the tree's {@code asText} gave it: null for JSON null, "" for an object or array. */
    private static @Nullable String text(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_STRING -> p.getText();
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NUMBER_INT -> p.getNumberValue().toString();
            case VALUE_NUMBER_FLOAT -> Double.toString(p.getDoubleValue());
            default -> {
                walk(p);
                yield "";
            }
        };
    }

    private static <T> @Nullable T skipped(JsonParser p) throws IOException {
        walk(p);
        return null;
    }

    /**
     * Reads past the current value, decoding each string and number as the tree did, so a value the
     * tree could not read still fails here with the parser's own message; nothing is kept.
     */
    private static void walk(JsonParser p) throws IOException {
        int depth = 0;
        JsonToken token = p.currentToken();
        while (true) {
            switch (token) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case VALUE_STRING -> p.getText();
                case VALUE_NUMBER_INT -> p.getNumberValue();
                case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                default -> {
                }
            }
            if (depth == 0) {
                return;
            }
            token = p.nextToken();
            if (token == null) {
                return;
            }
        }
    }

    private record Layers(List<Descriptor> descriptors, @Nullable IllegalArgumentException refusal) {
    }

    private record Read(@Nullable Descriptor descriptor, @Nullable IllegalArgumentException refusal) {
        static Read refused(String reason) {
            return new Read(null, new IllegalArgumentException(reason));
        }
    }
}
