package dev.wharf.http;

import org.jspecify.annotations.Nullable;

/** Entity-tag comparisons of conditional requests (RFC 9110 §13.1). */
public final class EntityTags {
    private EntityTags() {
    }

    /**
     * Whether {@code If-None-Match} names {@code entityTag} (or is {@code *}), compared weakly as the
     * RFC asks for this header: a GET or HEAD so asked is answered 304, the client's copy being
     * current. A list is split on commas, which an entity tag cannot hold unquoted.
     */
    public static boolean noneMatchFails(@Nullable String ifNoneMatch, String entityTag) {
        if (ifNoneMatch == null) {
            return false;
        }
        String ours = opaque(entityTag);
        for (String listed : ifNoneMatch.split(",")) {
            String tag = listed.trim();
            if (tag.equals("*") || !tag.isEmpty() && opaque(tag).equals(ours)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code If-Match} lets the method go ahead (§13.1.1): it is {@code *}, which any existing
     * body meets, or it lists {@code entityTag} compared strongly, so a weak tag, or a body without a
     * tag, meets none. As Go's {@code ServeContent} reads the list, a member that is no entity tag
     * ends it unmet.
     */
    public static boolean matches(String ifMatch, @Nullable String entityTag) {
        for (String listed : ifMatch.split(",")) {
            String tag = listed.trim();
            if (tag.isEmpty()) {
                continue;
            }
            if (tag.startsWith("*")) {
                return true;
            }
            String opaque = opaque(tag);
            if (opaque.length() < 2 || !opaque.startsWith("\"") || !opaque.endsWith("\"")) {
                return false;
            }
            if (tag.equals(entityTag)) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
