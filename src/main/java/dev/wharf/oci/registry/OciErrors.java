package dev.wharf.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The OCI error body {@code {"errors":[{"code","message","detail"}]}}, read leniently. */
record OciErrors(List<Entry> entries) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One error: its code as Wharf knows it, the code as the registry wrote it, and its message. */
    record Entry(OciErrorCode code, String rawCode, String message) {
    }

    static OciErrors parse(byte[] body) {
        List<Entry> entries = new ArrayList<>();
        if (body != null && body.length > 0) {
            try {
                JsonNode root = JSON.readTree(body);
                if (root != null) {
                    for (JsonNode error : root.path("errors")) {
                        String code = error.path("code").asText("");
                        String message = error.path("message").asText("");
                        // GitLab says what it refused only in a textual detail ("unknown media type: …").
                        JsonNode detail = error.path("detail");
                        if (detail.isTextual() && !detail.asText().isBlank() && !message.contains(detail.asText())) {
                            message = message.isEmpty() ? detail.asText() : message + " (" + detail.asText() + ")";
                        }
                        entries.add(new Entry(OciErrorCode.of(code), code, clip(message)));
                    }
                }
            } catch (IOException e) {
                // Not JSON: the caller decides what that means.
            }
        }
        return new OciErrors(List.copyOf(entries));
    }

    boolean has(OciErrorCode code) {
        return entries.stream().anyMatch(e -> e.code() == code);
    }

    /** "NAME_UNKNOWN: repository name not known to registry", or empty. */
    Optional<String> summary() {
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        for (Entry e : entries) {
            parts.add(e.message().isEmpty() ? e.rawCode() : e.rawCode() + ": " + e.message());
        }
        return Optional.of(String.join("; ", parts));
    }

    static boolean looksLikeHtml(@Nullable String contentType, byte[] body) {
        if (contentType != null && contentType.toLowerCase().contains("html")) {
            return true;
        }
        if (body == null) {
            return false;
        }
        String start = new String(body, 0, Math.min(body.length, 64), StandardCharsets.UTF_8).stripLeading().toLowerCase();
        return start.startsWith("<!doctype html") || start.startsWith("<html");
    }

    private static String clip(String text) {
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
    }
}
