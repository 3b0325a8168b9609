package dev.wharf.http.ui;

import io.javalin.http.Context;

/**
 * The one place both UIs say a page is HTML. Javalin's {@code ctx.html} sends a bare {@code text/html}, which left
 * the sign-in, 404, mirror and health pages to the browser's guess of their encoding (the meta tag comes after the
 * bytes it would have to decode); every page now names UTF-8 in its header, as the pages kept in memory did.
 */
public final class HtmlPages {
    public static final String CONTENT_TYPE = "text/html; charset=utf-8";

    private HtmlPages() {
    }

    /** Answers {@code status} with {@code html}, a whole page. */
    public static void send(Context ctx, int status, String html) {
        ctx.status(status).contentType(CONTENT_TYPE).result(html);
    }
}
