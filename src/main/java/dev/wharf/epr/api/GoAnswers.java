package dev.wharf.epr.api;

import dev.wharf.http.ExactContentType;
import dev.wharf.http.GoRedirect;
import io.javalin.http.Context;

/**
 * The two answers EPR's Go server writes without a handler of its own: {@code http.Error} (plain
 * text, the message and a newline; never cached when EPR's handlers call it for a refusal) and the redirect of gorilla's {@code StrictSlash}
 * ({@code http.Redirect}: 301, {@code Location}, a one-line HTML body for GET).
 */
final class GoAnswers {
    static final String WRITTEN = "wharf.epr.error";

    private GoAnswers() {
    }

    static void error(Context ctx, int status, String message) {
        ctx.res().setHeader("Cache-Control", null);
        ctx.res().addHeader("Cache-Control", "max-age=0");
        ctx.res().addHeader("Cache-Control", "private, no-store");
        httpError(ctx, status, message);
    }

    /**
     * Go's {@code http.Error} alone: headers set before stay. EPR answers a file a package lacks so,
     * after its cache headers, and a CDN keeps that 404 as long as the file would have been kept.
     */
    static void httpError(Context ctx, int status, String message) {
        ctx.attribute(WRITTEN, Boolean.TRUE);
        ctx.status(status);
        ctx.header("X-Content-Type-Options", "nosniff");
        ExactContentType.set(ctx, "text/plain; charset=utf-8");
        ctx.result(message + "\n");
    }

    /**
     * gorilla's not-found answer, for a path no route of EPR's matches: it is written outside the
     * routes, so without the headers their middleware adds ({@link EprReplies#ALLOW_ANY_ORIGIN}).
     */
    static void pageNotFound(Context ctx) {
        ctx.res().setHeader(EprReplies.ALLOW_ANY_ORIGIN.name(), null);
        error(ctx, 404, "404 page not found");
    }

    /** To {@code path} with the request's query, as gorilla sends a path that differs from its route by a trailing slash. */
    static void moved(Context ctx, String path) {
        String query = ctx.queryString();
        redirect(ctx, query == null ? path : path + "?" + query);
    }

    /** Go's {@code http.Redirect} with 301 to {@code location} (EPR's proxy mode sends files of upstream-only packages so). */
    static void redirect(Context ctx, String location) {
        ctx.attribute(WRITTEN, Boolean.TRUE);
        GoRedirect.moved(ctx, location);
    }
}
