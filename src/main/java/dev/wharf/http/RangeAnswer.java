package dev.wharf.http;

import io.javalin.http.Context;

/**
 * The status and headers a {@code Range} gives the answer of a body that can start anywhere, set
 * alike for a GET, which then sends the part, and for a HEAD, which sends nothing but must say
 * what the GET would (RFC 9110 §9.3.2; Go's {@code http.ServeContent} answers a ranged HEAD 206
 * with the part's Content-Range and length).
 */
public final class RangeAnswer {
    private RangeAnswer() {
    }

    /**
     * Reads the request's {@code Range} and {@code If-Range} against the answer's validators as the
     * caller set them, and sets {@code Accept-Ranges}, then for a part 206, its {@code Content-Range}
     * and length, or for a range past the end 416 with the body's length and no validators.
     */
    public static ByteRange set(Context ctx, long size) {
        ctx.res().setHeader("Accept-Ranges", "bytes");
        ByteRange asked = ByteRange.asked(ctx.header("Range"), ctx.header("If-Range"), ctx.res().getHeader("ETag"),
                ctx.res().getHeader("Last-Modified"), size);
        if (asked instanceof ByteRange.Part part) {
            ctx.status(206);
            ctx.res().setHeader("Content-Range", part.contentRange());
            ctx.res().setContentLengthLong(part.length());
        } else if (asked instanceof ByteRange.Unsatisfiable none) {
            // Not the body's validators and freshness: a cache must not keep the refusal for it.
            ctx.res().setHeader("Cache-Control", null);
            ctx.res().setHeader("ETag", null);
            ctx.res().setHeader("Last-Modified", null);
            ctx.status(416);
            ctx.res().setHeader("Content-Range", none.contentRange());
            ctx.res().setContentLengthLong(0);
        }
        return asked;
    }
}
