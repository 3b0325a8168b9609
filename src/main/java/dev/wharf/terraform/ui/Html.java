package dev.wharf.terraform.ui;

import dev.wharf.http.ui.HtmlText;

/** Text made safe for HTML, and the frame every /ui/ page shares. */
final class Html {
    private Html() {
    }

    /** {@code text} as HTML text or a quoted attribute value. */
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
        return String.join(", ", values.stream().map(Html::isolated).toList());
    }

    /** One path segment or query value, percent-encoded. */
    static String url(String value) {
        return HtmlText.url(value);
    }

    /**
     * A whole page. {@code signedIn} pages link the stylesheet and offer sign-out; the sign-in page
     * links nothing, since every asset needs sign-in too.
     */
    static String page(String title, String body, boolean signedIn, boolean signOut) {
        return page(title, body, signedIn, signOut, java.util.Optional.empty());
    }

    /**
     * A whole page that the browser leaves at once for {@code next} (a path of this UI), by a meta
     * refresh rather than a redirect: a navigation this page starts is same-site, so a SameSite=Strict
     * cookie set here goes with it even when a cross-site redirect led here.
     */
    static String page(String title, String body, boolean signedIn, boolean signOut, java.util.Optional<String> next) {
        StringBuilder out = new StringBuilder(body.length() + 1024);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        next.ifPresent(path -> out.append("<meta http-equiv=\"refresh\" content=\"0; url=").append(text(path)).append("\">\n"));
        out
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(text(title)).append(" · Wharf registry</title>\n");
        if (signedIn) {
            out.append("<link rel=\"stylesheet\" href=\"/ui/static/ui.css\">\n<link rel=\"icon\" href=\"/ui/static/favicon.svg\">\n");
        } else {
            // An empty icon, so the browser does not ask the API port for /favicon.ico.
            out.append("<link rel=\"icon\" href=\"data:,\">\n");
        }
        out.append("</head>\n<body>\n<header>\n<nav aria-label=\"Site\"><a href=\"/ui/\">Wharf registry</a></nav>\n");
        if (signOut) {
            out.append("<form method=\"post\" action=\"/ui/sign-out\" class=\"sign-out\"><button type=\"submit\">Sign out</button></form>\n");
        }
        out.append("</header>\n<main>\n").append(body).append("</main>\n</body>\n</html>\n");
        return out.toString();
    }
}
