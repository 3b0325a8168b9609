package dev.wharf.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.http.HttpDateTime;
import org.jspecify.annotations.Nullable;

/**
 * A body's validators (its entity tag, its last-modified time) set on its answer, and the
 * conditional GET or HEAD they settle (RFC 9110 §13.2.2): a client or a cache in front whose copy
 * is current gets a 304 and no body. As in Go's {@code http.ServeContent}, which EPR serves files
 * with, {@code If-None-Match} wins over {@code If-Modified-Since}, a date that does not parse is
 * ignored, and times compare to the second, the precision of the header.
 */
public final class NotModified {
    private NotModified() {
    }

    /**
     * Sets the validators on {@code ctx}'s answer: the content's digest (such as {@code sha256:…}) as
     * its entity tag, strong since a digest names these bytes whichever replica sends them, and its
     * time. When the request's conditions say its copy is current, the answer becomes a 304 with no
     * body (a 412 for a method other than GET and HEAD) and this returns true, for the caller to stop.
     * Called before the body's type and length are set, which a 304 does not carry.
     */
    public static boolean answered(Context ctx, @Nullable String digest, @Nullable Instant modified) {
        String entityTag = digest == null ? null : "\"" + digest + "\"";
        if (entityTag != null) {
            ctx.header("ETag", entityTag);
        }
        if (modified != null) {
            ctx.header("Last-Modified", DateGenerator.formatDate(modified));
        }
        String method = ctx.method().name();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return preconditionFailed(ctx, entityTag);
        }
        if (!current(ctx, entityTag, modified)) {
            return false;
        }
        ctx.status(304);
        // Sent now, without Javalin's default type, and without the Content-Length: 0 that Jetty would
        // give an answer ending empty: a 304 may carry no length but the one a 200 would have sent (§8.6).
        ctx.res().setContentType(null);
        ctx.res().setHeader("Content-Length", null);
        try {
            ctx.res().flushBuffer();
        } catch (IOException e) {
            // The client went away before its 304: there is no one left to tell.
        }
        return true;
    }

    /**
     * Go's {@code ServeContent} for another method (EPR answers a POST as a GET): an {@code If-None-Match}
     * the body matches is a 412 with no body, where a GET gets its 304, and {@code If-Modified-Since}
     * counts for GET and HEAD only, so such a request gets the whole answer.
     */
    private static boolean preconditionFailed(Context ctx, @Nullable String entityTag) {
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch == null || !noneMatchFails(ifNoneMatch, entityTag)) {
            return false;
        }
        ctx.status(412);
        // Go's answer: the validators and the handler's headers, no type, a length of 0.
        ctx.res().setContentType(null);
        ctx.res().setContentLengthLong(0);
        return true;
    }

    private static boolean current(Context ctx, @Nullable String entityTag, @Nullable Instant modified) {
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null) {
            return noneMatchFails(ifNoneMatch, entityTag);
        }
        String ifModifiedSince = ctx.header("If-Modified-Since");
        if (ifModifiedSince == null || modified == null) {
            return false;
        }
        long since = HttpDateTime.parseToEpoch(ifModifiedSince);
        return since >= 0 && !modified.truncatedTo(ChronoUnit.SECONDS).isAfter(Instant.ofEpochMilli(since));
    }

    private static boolean noneMatchFails(String ifNoneMatch, @Nullable String entityTag) {
        // Without a tag of its own, the body still exists, which is all that '*' asks.
        return entityTag == null ? ifNoneMatch.trim().equals("*") : EntityTags.noneMatchFails(ifNoneMatch, entityTag);
    }
}
