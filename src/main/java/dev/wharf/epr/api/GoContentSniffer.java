package dev.wharf.epr.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The content type Go's {@code http.DetectContentType} gives the first 512 bytes of a file: what
 * EPR's {@code http.ServeContent} sends for a package file whose extension no MIME table knows (a
 * {@code .hbs}, a {@code NOTICE}). The signatures a package may hold: HTML and XML text, PDF and
 * PostScript, byte-order marks, images, archives; then text unless a control byte says binary.
 */
final class GoContentSniffer {
    static final int SNIFF_LENGTH = 512;

    private static final String HTML = "text/html; charset=utf-8";
    private static final List<String> HTML_TAGS = List.of("<!DOCTYPE HTML", "<HTML", "<HEAD", "<SCRIPT", "<IFRAME", "<H1", "<DIV",
            "<FONT", "<TABLE", "<A", "<STYLE", "<TITLE", "<B", "<BODY", "<BR", "<P", "<!--");
    private static final List<Prefix> PREFIXES = List.of(
            new Prefix("%PDF-", "application/pdf"),
            new Prefix("%!PS-Adobe-", "application/postscript"),
            new Prefix("\u00fe\u00ff", "text/plain; charset=utf-16be"),
            new Prefix("\u00ff\u00fe", "text/plain; charset=utf-16le"),
            new Prefix("\u00ef\u00bb\u00bf", "text/plain; charset=utf-8"),
            new Prefix("GIF87a", "image/gif"),
            new Prefix("GIF89a", "image/gif"),
            new Prefix("\u0089PNG\r\n\u001a\n", "image/png"),
            new Prefix("\u00ff\u00d8\u00ff", "image/jpeg"),
            new Prefix("BM", "image/bmp"),
            new Prefix("\u0000\u0000\u0001\u0000", "image/x-icon"),
            new Prefix("\u0000\u0000\u0002\u0000", "image/x-icon"),
            new Prefix("PK\u0003\u0004", "application/zip"),
            new Prefix("\u001f\u008b\u0008", "application/x-gzip"),
            new Prefix("Rar!\u001a\u0007\u0000", "application/x-rar-compressed"),
            new Prefix("Rar!\u001a\u0007\u0001\u0000", "application/x-rar-compressed"),
            new Prefix("\u0000asm", "application/wasm"));

    /** A signature written as ISO-8859-1 text, one char per byte. */
    private record Prefix(String bytes, String type) {
        boolean matches(byte[] data, int length) {
            if (length < bytes.length()) {
                return false;
            }
            for (int i = 0; i < bytes.length(); i++) {
                if ((data[i] & 0xff) != bytes.charAt(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    private GoContentSniffer() {
    }

    static String detect(byte[] data, int length) {
        int n = Math.min(length, SNIFF_LENGTH);
        int start = 0;
        while (start < n && isWhitespace(data[start])) {
            start++;
        }
        String rest = new String(data, start, n - start, StandardCharsets.ISO_8859_1);
        String upper = rest.toUpperCase(Locale.ROOT);
        for (String tag : HTML_TAGS) {
            // A tag counts when a space or '>' ends it, as in the sniffing standard.
            if (upper.startsWith(tag) && upper.length() > tag.length() && (upper.charAt(tag.length()) == ' ' || upper.charAt(tag.length()) == '>')) {
                return HTML;
            }
        }
        if (rest.startsWith("<?xml")) {
            return "text/xml; charset=utf-8";
        }
        for (Prefix p : PREFIXES) {
            if (p.matches(data, n)) {
                return p.type();
            }
        }
        if (n >= 14 && new String(data, 0, 4, StandardCharsets.ISO_8859_1).equals("RIFF")
                && new String(data, 8, 6, StandardCharsets.ISO_8859_1).equals("WEBPVP")) {
            return "image/webp";
        }
        for (int i = start; i < n; i++) {
            int b = data[i] & 0xff;
            if (b <= 0x08 || b == 0x0b || (b >= 0x0e && b <= 0x1a) || (b >= 0x1c && b <= 0x1f)) {
                return "application/octet-stream";
            }
        }
        return "text/plain; charset=utf-8";
    }

    private static boolean isWhitespace(byte b) {
        return b == '\t' || b == '\n' || b == 0x0c || b == '\r' || b == ' ';
    }
}
