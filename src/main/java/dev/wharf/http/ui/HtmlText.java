package dev.wharf.http.ui;

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

    /** One path segment or query value, percent-encoded. */
    public static String url(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
