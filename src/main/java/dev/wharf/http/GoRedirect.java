package dev.wharf.http;

import io.javalin.http.Context;

/** Go's {@code http.Redirect}, as both Go servers Wharf stands in for write it. */
public final class GoRedirect {
    private GoRedirect() {
    }

    /** 301 to {@code location}, with Go's one-line HTML body for GET. */
    public static void moved(Context ctx, String location) {
        ctx.status(301);
        ctx.header("Location", location);
        // Go writes the body for GET only and so sends HEAD no length; written for HEAD too, Jetty
        // leaves it out and says GET's length, not a length of 0.
        boolean getOrHead = ctx.method().name().equals("GET") || ctx.method().name().equals("HEAD");
        if (getOrHead) {
            ExactContentType.set(ctx, "text/html; charset=utf-8");
        }
        ctx.result(getOrHead ? "<a href=\"" + htmlEscape(location) + "\">Moved Permanently</a>.\n\n" : "");
    }

    private static String htmlEscape(String s) {
        return s.replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&#34;");
    }
}
