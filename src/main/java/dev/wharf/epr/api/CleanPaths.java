package dev.wharf.epr.api;

import io.javalin.http.Context;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;

/**
 * gorilla's path cleaning, which EPR's router does before it matches any route: a path with an
 * empty segment ({@code //}), {@code .} or {@code ..} is answered 301 to its clean form (Go's
 * {@code path.Clean}, the trailing slash kept), the query kept. Kibana joins its
 * {@code xpack.fleet.registryUrl} and {@code /search} as text, so a registry URL written with a
 * trailing slash asks for {@code //search}: EPR sends it on to {@code /search}, and so must Wharf.
 *
 * <p>Dot segments are also recognised percent-encoded ({@code %2e}), as Go decodes the path before
 * it cleans it; every other segment is kept as the client wrote it.
 */
final class CleanPaths {
    private CleanPaths() {
    }

    /** Answers a path that is not clean with gorilla's redirect (301, Location, no body); false for a clean one. */
    static boolean redirected(Context ctx) {
        Optional<String> clean = cleaned(ctx.path());
        if (clean.isEmpty()) {
            return false;
        }
        String query = ctx.queryString();
        ctx.status(301);
        ctx.header("Location", query == null || query.isEmpty() ? clean.get() : clean.get() + "?" + query);
        // gorilla sets the header and the status only: no body, and no type for one.
        ctx.res().setContentType(null);
        ctx.attribute(GoAnswers.WRITTEN, Boolean.TRUE);
        return true;
    }

    /** The clean form of a raw request path, when it differs from the path. */
    static Optional<String> cleaned(String rawPath) {
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
        String clean = "/" + String.join("/", kept);
        if (rawPath.endsWith("/") && !clean.equals("/")) {
            clean += "/";
        }
        return clean.equals(rawPath) ? Optional.empty() : Optional.of(clean);
    }
}
