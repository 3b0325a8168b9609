package dev.wharf.oci.layout;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
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
    /**
     * The most bytes of an {@code index.json} Wharf reads. It may legitimately be large: the flat layout
     * keeps every provider and module in one repository, the largest measured had about 90,000 tags, and
     * Wharf writes an entry in about 400 bytes (pretty-printed, with an 80-character tag), so some 36 MB.
     * This allows over three times that; its entries then take some 200 MB of heap (about 600 bytes each
     * as a tree). Without a bound a corrupt or hostile layout's index of gigabytes ended the process in an
     * OutOfMemoryError.
     */
    static final int MAX_BYTES = 128 << 20;
    /**
     * The most entries of an {@code index.json} Wharf reads: as many tags as one listing of a registry's
     * repository may hold, so either store keeps as many. Entries smaller than Wharf's (a digest alone)
     * would otherwise fit some 1.5 million in {@link #MAX_BYTES}, about a GB of heap.
     */
    static final int MAX_ENTRIES = 500_000;

    /** How large an index Wharf reads and writes: {@link #DEFAULT}, or smaller in tests. */
    record Bounds(int bytes, int entries) {
        static final Bounds DEFAULT = new Bounds(MAX_BYTES, MAX_ENTRIES);

        /** The byte bound as a message says it. */
        String size() {
            return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
        }
    }

    record Entry(String tag, Digest digest, String mediaType, long size, ObjectNode raw) {
    }

    private final List<Entry> entries;

    private LayoutIndex(List<Entry> entries) {
        this.entries = entries;
    }

    static LayoutIndex empty() {
        return new LayoutIndex(new ArrayList<>());
    }

    /**
     * Reads an index as its JSON arrives, one entry's tree at a time: the file is never held, nor a
     * tree of it beside the entries. A list longer than {@link #MAX_ENTRIES} is refused at the first entry
     * past the bound ({@code maxEntries}), the rest unread. Jackson's own limits (a nesting 1,000 deep, a string of 20 million
     * characters) fail as any other unreadable index does.
     */
    static LayoutIndex parse(ObjectMapper json, InputStream in, int maxEntries) throws IOException {
        try (JsonParser p = json.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("index.json has no manifests array");
            }
            List<Entry> entries = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("manifests") && value == JsonToken.START_ARRAY) {
                    entries = entries(p, maxEntries);
                } else {
                    // A repeated key counts by its last value, as the tree this was once read into took it.
                    entries = name.equals("manifests") ? null : entries;
                    p.skipChildren();
                }
            }
            if (entries == null) {
                throw new IOException("index.json has no manifests array");
            }
            return new LayoutIndex(entries);
        }
    }

    private static List<Entry> entries(JsonParser p, int maxEntries) throws IOException {
        List<Entry> entries = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (entries.size() == maxEntries) {
                throw new IOException("index.json lists more than " + maxEntries + " manifests, more than Wharf reads of one repository");
            }
            JsonNode node = p.readValueAsTree();
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
        return entries;
    }

    /**
     * Why Wharf could not read this index back once written ({@code bytes} its form on disk), in words for whoever
     * published the tag that took it there: the bound, how far the repository is, and the way out; empty when it could.
     * Only a push that adds an entry passes the entry bound, since every index read holds at most that many.
     */
    Optional<String> beyondBounds(byte[] bytes, Bounds bounds) {
        String wayOut = ": an operator can delete old versions, or move the storage to an OCI registry";
        if (entries.size() > bounds.entries()) {
            return Optional.of("the embedded OCI layout keeps at most " + tagCount(bounds.entries()) + " in one repository and this one holds "
                    + (entries.size() - 1) + ", so the new tag is refused" + wayOut);
        }
        if (bytes.length > bounds.bytes()) {
            return Optional.of("the embedded OCI layout keeps at most " + bounds.size() + " of tags (index.json) in one repository and"
                    + " the new tag would take this one's to " + bytes.length + " bytes (" + tagCount(entries.size()) + "), so it is refused"
                    + wayOut);
        }
        return Optional.empty();
    }

    private static String tagCount(int count) {
        return count == 1 ? "1 tag" : count + " tags";
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
