package dev.wharf.epr.api;

import dev.wharf.http.CleanPath;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * gorilla's path cleaning, which EPR's router does before it matches any route ({@link CleanPath}).
 * Kibana joins its {@code xpack.fleet.registryUrl} and {@code /search} as text, so a registry URL
 * written with a trailing slash asks for {@code //search}: EPR sends it on to {@code /search}, and
 * so must Wharf. gorilla does so before it looks at the method (its router has no method matchers),
 * so a POST, an OPTIONS or a PUT of such a path gets the same 301 as a GET.
 */
final class CleanPaths {
    private CleanPaths() {
    }

    /** Answers a request for a path that is not clean, whatever its method, with gorilla's redirect (301, Location, no body); false otherwise. */
    static boolean redirected(Context ctx) {
        Optional<String> location = CleanPath.locationOf(ctx.path(), ctx.queryString());
        if (location.isEmpty()) {
            return false;
        }
        ctx.status(301);
        ctx.header("Location", location.get());
        // gorilla sets the header and the status only: no body, and no type for one.
        ctx.res().setContentType(null);
        ctx.attribute(GoAnswers.WRITTEN, Boolean.TRUE);
        return true;
    }
}
