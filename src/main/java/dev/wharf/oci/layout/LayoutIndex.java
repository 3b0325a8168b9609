package dev.wharf.oci.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.oci.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code index.json} of one layout: the manifests it holds, each with the tag it is known by in
 * {@code org.opencontainers.image.ref.name}. Entries are kept in file order; unknown fields of entries
 * other tools wrote are preserved when the index is rewritten.
 */
final class LayoutIndex {
    static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final String MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";

    record Entry(String tag, Digest digest, String mediaType, long size, ObjectNode raw) {
    }

    private final List<Entry> entries;

    private LayoutIndex(List<Entry> entries) {
        this.entries = entries;
    }

    static LayoutIndex empty() {
        return new LayoutIndex(new ArrayList<>());
    }

    static LayoutIndex parse(ObjectMapper json, byte[] bytes) throws IOException {
        JsonNode root = json.readTree(bytes);
        if (root == null || !root.path("manifests").isArray()) {
            throw new IOException("index.json has no manifests array");
        }
        List<Entry> entries = new ArrayList<>();
        for (JsonNode node : root.get("manifests")) {
            if (!(node instanceof ObjectNode object)) {
                throw new IOException("index.json has a manifest entry that is not an object");
            }
            String tag = object.path("annotations").path(REF_NAME).asText(null);
            Digest digest;
            try {
                digest = Digest.parse(object.path("digest").asText());
            } catch (IllegalArgumentException e) {
                // Written by another tool or by hand: a broken index, said as every other one is.
                throw new IOException("index.json has a manifest entry whose digest is not one Wharf reads: " + e.getMessage(), e);
            }
            entries.add(new Entry(tag, digest, object.path("mediaType").asText(null), object.path("size").asLong(), object));
        }
        return new LayoutIndex(entries);
    }

    byte[] toBytes(ObjectMapper json) throws IOException {
        ObjectNode root = json.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MEDIA_TYPE);
        ArrayNode manifests = root.putArray("manifests");
        entries.forEach(e -> manifests.add(e.raw()));
        return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    List<String> tags() {
        return entries.stream().map(Entry::tag).filter(t -> t != null).distinct().toList();
    }

    Optional<Entry> find(String tag) {
        return entries.stream().filter(e -> tag.equals(e.tag())).findFirst();
    }

    boolean references(Digest digest) {
        return entries.stream().anyMatch(e -> e.digest().equals(digest));
    }

    void put(ObjectMapper json, String tag, Digest digest, String mediaType, long size, String artifactType) {
        remove(tag);
        ObjectNode raw = json.createObjectNode();
        raw.put("mediaType", mediaType);
        raw.put("digest", digest.toString());
        raw.put("size", size);
        if (artifactType != null) {
            raw.put("artifactType", artifactType);
        }
        raw.putObject("annotations").put(REF_NAME, tag);
        entries.add(new Entry(tag, digest, mediaType, size, raw));
    }

    boolean remove(String tag) {
        return entries.removeIf(e -> tag.equals(e.tag()));
    }

    Map<String, Digest> asMap() {
        Map<String, Digest> map = new java.util.LinkedHashMap<>();
        entries.forEach(e -> {
            if (e.tag() != null) {
                map.putIfAbsent(e.tag(), e.digest());
            }
        });
        return map;
    }
}
