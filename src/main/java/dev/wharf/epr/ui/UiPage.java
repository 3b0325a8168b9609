package dev.wharf.epr.ui;

import dev.wharf.http.ui.HtmlText;

/** The frame every package-registry {@code /ui/} page shares, and its escaping shorthands. */
final class UiPage {
    private UiPage() {
    }

    static String text(String text) {
        return HtmlText.escape(text);
    }

    /** A reason quoting the publisher: see {@link HtmlText#reason}. */
    static String reason(String text) {
        return HtmlText.reason(text);
    }

    /** The publisher's {@code text} in {@code <bdi>}: see {@link HtmlText#isolated}. */
    static String isolated(String text) {
        return HtmlText.isolated(text);
    }

    /** Each of the publisher's {@code values} isolated, joined by commas: one cannot turn the next round. */
    static String isolated(java.util.List<String> values) {
        return String.join(", ", values.stream().map(UiPage::isolated).toList());
    }

    static String url(String value) {
        return HtmlText.url(value);
    }

    /**
     * A whole page. {@code signedIn} pages link the stylesheet and icon and offer sign-out when
     * sign-in is on; the sign-in page links nothing, since every asset needs sign-in too.
     */
    static String page(String title, String body, boolean signedIn, boolean signOut) {
        StringBuilder out = new StringBuilder(body.length() + 1024);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(text(title)).append(" · Wharf package registry</title>\n");
        if (signedIn) {
            out.append("<link rel=\"stylesheet\" href=\"/ui/static/ui.css\">\n<link rel=\"icon\" href=\"/ui/static/favicon.svg\">\n");
        } else {
            // An empty icon, so the browser does not fetch /favicon.ico before sign-in.
            out.append("<link rel=\"icon\" href=\"data:,\">\n");
        }
        out.append("</head>\n<body>\n<header>\n<nav aria-label=\"Site\"><ul class=\"inline\">")
                .append("<li><a href=\"/ui/\">Wharf package registry</a></li><li><a href=\"/ui/health\">Index health</a></li></ul></nav>\n");
        if (signOut) {
            out.append("<form method=\"post\" action=\"/ui/sign-out\" class=\"sign-out\"><button type=\"submit\">Sign out</button></form>\n");
        }
        out.append("</header>\n<main>\n").append(body).append("</main>\n</body>\n</html>\n");
        return out.toString();
    }
}
