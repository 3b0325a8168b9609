package dev.wharf.epr.api;

import io.javalin.http.Context;
import java.util.Set;

/**
 * What EPR's routes answer to a method other than GET and HEAD. EPR registers its handlers with
 * gorilla's {@code router.Handle} and no method matcher, and none of them looks at the method, so it
 * answers every method as GET. Wharf keeps that where it does no harm: a POST gets the GET's answer
 * (its body is not read, as EPR reads none). An OPTIONS (a browser's CORS preflight) gets 204 with
 * {@code Allow} and {@code Access-Control-Allow-Origin}, which passes a preflight exactly where
 * EPR's GET answer does, without sending a zip or fetching one from the registry for it. A PUT,
 * DELETE, PATCH or any other method is 405 with {@code Allow}, as Go's own {@code ServeMux} answers
 * a path it knows with a method it does not take: EPR's 200 to a DELETE would read as "deleted".
 * A path no route of EPR's takes stays gorilla's 404 whatever the method.
 */
final class OtherMethods {
    /** The methods EPR's routes answer as GET answers. */
    static final Set<String> AS_GET = Set.of("GET", "HEAD", "POST");
    static final String ALLOW = "GET, HEAD, POST, OPTIONS";

    private OtherMethods() {
    }

    /** Answers an OPTIONS or a method the API does not take, when the path is one of EPR's routes; true when it did. */
    static boolean answered(Context ctx) {
        String method = ctx.method().name();
        if (AS_GET.contains(method) || !PackageRoutes.isRoute(ctx.path())) {
            return false;
        }
        ctx.header("Allow", ALLOW);
        if (method.equals("OPTIONS")) {
            ctx.status(204);
            ctx.attribute(GoAnswers.WRITTEN, Boolean.TRUE);
            return true;
        }
        // Go's ServeMux writes this text for a method a known path does not take.
        GoAnswers.error(ctx, 405, "Method Not Allowed");
        return true;
    }
}
