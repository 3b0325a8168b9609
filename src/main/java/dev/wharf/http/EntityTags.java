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

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
