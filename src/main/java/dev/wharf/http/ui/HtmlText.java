package dev.wharf.http.ui;

import dev.wharf.oci.PrintableText;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Text made safe for a server-rendered page: both registries' UIs escape through here. */
public final class HtmlText {
    private HtmlText() {
    }

    /**
     * {@code text} as HTML text or a quoted attribute value. A control character (a NUL from a query
     * such as {@code ?q=%00}, or one in a module's metadata) becomes U+FFFD, as a browser's parser
     * would take it, so the page itself stays well-formed HTML.
     */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                case '\t', '\n', '\r' -> out.append(c);
                default -> out.append(c < 0x20 || c >= 0x7f && c <= 0x9f ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    /**
     * {@code text}, the publisher's, escaped inside {@code <bdi>} for element content that shares a line with other
     * text. Its direction then ends where it ends: a right-to-left override in it (U+202E) had drawn the registry's
     * own words after it backwards ("sensitive" read "evitisnes"). Text alone in its block (a table cell, a
     * paragraph) needs none, since a block ends every override in it.
     */
    public static String isolated(String text) {
        return "<bdi>" + escape(text) + "</bdi>";
    }

    /** The most of a reason a page shows: an archive's note may quote a whole line of the publisher's. */
    public static final int MAX_REASON = 1000;

    /**
     * A reason or error message, the registry's words quoting the publisher's (an entry, a variable, a token, a file
     * inside an error), as element content. A quote inside one finished sentence cannot be put in {@code <bdi>}, so a
     * right-to-left override in it (U+202E) had drawn every word after it backwards: its invisible format and control
     * characters show escaped instead ({@link PrintableText#escaped}), line breaks as spaces, and past
     * {@link #MAX_REASON} characters it is cut with "…". Its backslashes stay single ({@link PrintableText#ownLine}):
     * the quotes in it were escaped where they were made, and escaping them again would double every escape.
     */
    public static String reason(String text) {
        return escape(PrintableText.ownLine(text, MAX_REASON));
    }

    /** One path segment or query value, percent-encoded. */
    public static String url(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
