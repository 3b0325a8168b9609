package dev.wharf.epr.api;

import java.util.Locale;
import java.util.Map;

/** Content types of package files, as EPR's Go server sends them (its own additions to Go's table first). */
final class ContentTypes {
    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("zip", "application/zip"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("md", "text/markdown; charset=utf-8"),
            Map.entry("yml", "text/yaml; charset=UTF-8"),
            Map.entry("yaml", "text/yaml; charset=UTF-8"),
            Map.entry("json", "application/json"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("webp", "image/webp"),
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("hbs", "text/plain; charset=utf-8"),
            Map.entry("sig", "application/pgp-signature"),
            Map.entry("pdf", "application/pdf"),
            Map.entry("xml", "text/xml; charset=utf-8"));

    private ContentTypes() {
    }

    static String of(String path) {
        int dot = path.lastIndexOf('.');
        int slash = path.lastIndexOf('/');
        if (dot > slash && dot >= 0) {
            String type = BY_EXTENSION.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
            if (type != null) {
                return type;
            }
        }
        return "application/octet-stream";
    }
}
