package dev.wharf.http;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The clean form of a request path, as the Go servers Wharf stands in for make it before routing
 * (Go's {@code path.Clean} in gorilla's router and in {@code http.ServeMux}): no empty segment
 * ({@code //}), no {@code .}, each {@code ..} taking the segment before it, the trailing slash kept.
 * Both answer a path that is not clean with a 301 to its clean form; each protocol writes that
 * answer in its own server's words.
 *
 * <p>Dot segments are also recognised percent-encoded ({@code %2e}), as Go decodes the path before
 * it cleans it; every other segment is kept as the client wrote it.
 */
public final class CleanPath {
    private CleanPath() {
    }

    /** The clean form of a raw request path, when it differs from the path. */
    public static Optional<String> of(String rawPath) {
        Deque<String> kept = new ArrayDeque<>();
        for (String segment : rawPath.split("/", -1)) {
            String dots = segment.toLowerCase(Locale.ROOT).replace("%2e", ".");
            if (dots.isEmpty() || dots.equals(".")) {
                continue;
            }
            if (dots.equals("..")) {
                kept.pollLast();
                continue;
            }
            kept.addLast(segment);
        }
        // Never a Location a browser reads as another host: no empty segment leaves "//" at the front,
        // and a backslash, which browsers read as a slash ("/\host"), goes out escaped (Jetty refuses
        // a raw one before any route; this holds whatever server the path came through).
        String clean = "/" + String.join("/", kept).replace("\\", "%5C");
        if (rawPath.endsWith("/") && !clean.equals("/")) {
            clean += "/";
        }
        return clean.equals(rawPath) ? Optional.empty() : Optional.of(clean);
    }

    /**
     * Where a GET or HEAD of an unclean path is sent: its clean form with the query; empty for a clean
     * path or another method, which a redirect would not help (a client following a 301 asks with GET).
     */
    public static Optional<String> redirectOf(String method, String rawPath, @Nullable String query) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return Optional.empty();
        }
        return locationOf(rawPath, query);
    }

    /** Where a request for an unclean path is sent whatever its method: its clean form with the query; empty for a clean path. */
    public static Optional<String> locationOf(String rawPath, @Nullable String query) {
        return of(rawPath).map(clean -> query == null || query.isEmpty() ? clean : clean + "?" + query);
    }
}
