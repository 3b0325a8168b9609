package dev.wharf.http;

import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Entity-tag comparisons of conditional requests (RFC 9110 §13.1), reading a header's list as Go's
 * {@code http.ServeContent} (which EPR serves files with) does: members are separated by commas
 * and spaces, each an entity tag ({@code "…"} or {@code W/"…"}, where a comma is just another
 * character between the quotes) or a {@code *}; the first member that is neither ends the list.
 */
public final class EntityTags {
    private EntityTags() {
    }

    /**
     * Whether {@code If-None-Match} names {@code entityTag} (or is {@code *}), compared weakly as the
     * RFC asks for this header: a GET or HEAD so asked is answered 304, the client's copy being
     * current. Without a tag of its own the body still exists, which is all that {@code *} asks.
     */
    public static boolean noneMatchFails(String ifNoneMatch, @Nullable String entityTag) {
        return listed(ifNoneMatch, tag -> entityTag != null && opaque(tag).equals(opaque(entityTag)));
    }

    /**
     * Whether {@code If-Match} lets the method go ahead (§13.1.1): it is {@code *}, which any existing
     * body meets, or it lists {@code entityTag} compared strongly, so a weak tag, or a body without a
     * tag, meets none.
     */
    public static boolean matches(String ifMatch, @Nullable String entityTag) {
        return listed(ifMatch, tag -> tag.startsWith("\"") && tag.equals(entityTag));
    }

    /** Whether the list holds a {@code *} or a tag that {@code meets}, before its first member that is neither. */
    private static boolean listed(String header, Predicate<String> meets) {
        int at = 0;
        while (true) {
            at = skipSpace(header, at);
            if (at >= header.length()) {
                return false;
            }
            char c = header.charAt(at);
            if (c == ',') {
                at++;
                continue;
            }
            if (c == '*') {
                return true;
            }
            int end = tagEnd(header, at);
            if (end < 0) {
                return false;
            }
            if (meets.test(header.substring(at, end))) {
                return true;
            }
            at = end;
        }
    }

    /** Where the entity tag starting at {@code start} ends (past its closing quote), or -1 when none starts there. */
    private static int tagEnd(String s, int start) {
        int quote = s.startsWith("W/", start) ? start + 2 : start;
        if (s.length() - quote < 2 || s.charAt(quote) != '"') {
            return -1;
        }
        for (int i = quote + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            // etagc (§8.8.3): any visible character but the quote, and the bytes of obs-text.
            if (!(c == 0x21 || c >= 0x23 && c <= 0x7E || c >= 0x80)) {
                return -1;
            }
        }
        return -1;
    }

    /** Past the spaces and tabs (and line ends, as Go's TrimString) at {@code at}. */
    private static int skipSpace(String s, int at) {
        int i = at;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\r' || s.charAt(i) == '\n')) {
            i++;
        }
        return i;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
