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
 * conditional request they settle (RFC 9110 §13.2.2): a client or a cache in front whose copy
 * is current gets a 304 and no body, and one whose {@code If-Match} or {@code If-Unmodified-Since}
 * fails gets a 412. As in Go's {@code http.ServeContent}, which EPR serves files with,
 * {@code If-Match} wins over {@code If-Unmodified-Since} and {@code If-None-Match} over
 * {@code If-Modified-Since}, a date that does not parse is ignored, and times compare to the
 * second, the precision of the header.
 */
public final class NotModified {
    private NotModified() {
    }

    /**
     * Sets the validators on {@code ctx}'s answer: the content's digest (such as {@code sha256:…}) as
     * its entity tag, strong since a digest names these bytes whichever replica sends them, and its
     * time. When the request's conditions settle the answer without its body, the answer becomes a
     * 304 (the copy is current) or a 412 (a precondition failed, or a method other than GET and HEAD
     * asked with an {@code If-None-Match} that matches) and this returns true, for the caller to stop.
     * Called before the body's type and length are set, which neither answer carries. A body with
     * neither validator is answered whole whatever the request's conditions.
     */
    public static boolean answered(Context ctx, @Nullable String digest, @Nullable Instant modified) {
        String entityTag = digest == null ? null : "\"" + digest + "\"";
        if (entityTag != null) {
            ctx.header("ETag", entityTag);
        }
        if (modified != null) {
            ctx.header("Last-Modified", DateGenerator.formatDate(modified));
        }
        if (entityTag == null && modified == null) {
            // Nothing tells this body from another (EPR's zip of a package folder, which its archiver writes
            // without ServeContent): no condition can be settled, so none is looked at, not even '*'.
            return false;
        }
        String method = ctx.method().name();
        boolean getOrHead = method.equals("GET") || method.equals("HEAD");
        if (!preconditionHolds(ctx, entityTag, modified)) {
            return preconditionFailed(ctx);
        }
        String ifNoneMatch = ctx.header("If-None-Match");
        // Empty, the header is absent to Go's ServeContent, and If-Modified-Since is looked at instead.
        if (ifNoneMatch != null && !ifNoneMatch.isBlank()) {
            if (!EntityTags.noneMatchFails(ifNoneMatch, entityTag)) {
                return false;
            }
            // Go's ServeContent for another method (EPR answers a POST as a GET): a 412 where a GET gets its 304.
            return getOrHead ? notModified(ctx) : preconditionFailed(ctx);
        }
        // If-Modified-Since counts for GET and HEAD only: another method so asked gets the whole answer.
        return getOrHead && unmodifiedSince(ctx.header("If-Modified-Since"), modified) && notModified(ctx);
    }

    /**
     * {@code If-Match}, or without it {@code If-Unmodified-Since} (§13.2.2 steps 1 and 2), for every
     * method: a client that means to act only on the copy it holds is refused any other.
     */
    private static boolean preconditionHolds(Context ctx, @Nullable String entityTag, @Nullable Instant modified) {
        String ifMatch = ctx.header("If-Match");
        if (ifMatch != null && !ifMatch.isEmpty()) {
            return EntityTags.matches(ifMatch, entityTag);
        }
        String ifUnmodifiedSince = ctx.header("If-Unmodified-Since");
        // Without a time of the body's own, or with a date that does not parse, there is nothing to compare.
        if (ifUnmodifiedSince == null || modified == null || HttpDateTime.parseToEpoch(ifUnmodifiedSince) < 0) {
            return true;
        }
        return unmodifiedSince(ifUnmodifiedSince, modified);
    }

    /** Whether {@code modified} is no later than the date asked, to the second; false when either is missing or unreadable. */
    private static boolean unmodifiedSince(@Nullable String date, @Nullable Instant modified) {
        if (date == null || modified == null) {
            return false;
        }
        long since = HttpDateTime.parseToEpoch(date);
        return since >= 0 && !modified.truncatedTo(ChronoUnit.SECONDS).isAfter(Instant.ofEpochMilli(since));
    }

    private static boolean notModified(Context ctx) {
        ctx.status(304);
        // Sent now, without Javalin's default type, and without the Content-Length: 0 that Jetty would
        // give an answer ending empty: a 304 may carry no length but the one a 200 would have sent (§8.6).
        sendHeaders(ctx);
        return true;
    }

    /**
     * Go's answer: the validators and the handler's headers, no type, no body, and the length of 0
     * Go's server gives an empty answer, but for a HEAD, whose length would be the GET's.
     */
    private static boolean preconditionFailed(Context ctx) {
        ctx.status(412);
        if (ctx.method().name().equals("HEAD")) {
            sendHeaders(ctx);
            return true;
        }
        ctx.res().setContentType(null);
        ctx.res().setContentLengthLong(0);
        return true;
    }

    private static void sendHeaders(Context ctx) {
        ctx.res().setContentType(null);
        ctx.res().setHeader("Content-Length", null);
        try {
            ctx.res().flushBuffer();
        } catch (IOException e) {
            // The client went away before its answer: there is no one left to tell.
        }
    }
}
