package dev.wharf.epr.api;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Content types of package files by extension, as EPR's Go server sends them: its own four (zip, ico,
 * md, yml), then Go's table and the {@code /etc/mime.types} of EPR's image for the rest; a {@code .hbs}
 * is in none of them, so Go sniffs it.
 */
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
            Map.entry("sig", "application/pgp-signature"),
            Map.entry("pdf", "application/pdf"),
            Map.entry("xml", "text/xml; charset=utf-8"));

    private ContentTypes() {
    }

    /** Empty when no table knows the extension: then Go types the file by its first bytes ({@link GoContentSniffer}). */
    static Optional<String> of(String path) {
        int dot = path.lastIndexOf('.');
        int slash = path.lastIndexOf('/');
        if (dot > slash && dot >= 0) {
            return Optional.ofNullable(BY_EXTENSION.get(path.substring(dot + 1).toLowerCase(Locale.ROOT)));
        }
        return Optional.empty();
    }
}
