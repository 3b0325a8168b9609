package dev.wharf.testing;

import dev.wharf.testing.FaultProxy.Fault;
import dev.wharf.testing.FaultProxy.Request;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The faults that answer in the registry's stead: the request never reaches it. */
final class CannedFaults {
    private static final String UNKNOWN = "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"injected fault\"}]}";

    private CannedFaults() {
    }

    /** Answers {@code request} as {@code fault} wants and returns true, or returns false for the registry to answer. */
    static boolean answered(Fault fault, Request request, OutputStream out) throws IOException {
        switch (fault) {
            case STATUS_404 -> answer(out, "404 Not Found", Map.of(), "404 page not found");
            case STATUS_405 -> answer(out, "405 Method Not Allowed", Map.of("Allow", "PUT"), "{\"errors\":[\"injected fault\"]}");
            case HTML_200 -> answer(out, "200 OK", Map.of("Content-Type", "text/html"), "<html><body>Sign in to continue</body></html>");
            case OTHER_JSON_200 -> answer(out, "200 OK", Map.of(), "{\"status\":\"ok\"}");
            case STATUS_500 -> answer(out, "500 Internal Server Error", Map.of(), UNKNOWN);
            case STATUS_502 -> answer(out, "502 Bad Gateway", Map.of(), UNKNOWN);
            case STATUS_504 -> answer(out, "504 Gateway Timeout", Map.of(), UNKNOWN);
            case STATUS_503 -> answer(out, "503 Service Unavailable", Map.of(),
                    "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"injected fault\"}]}");
            case STATUS_429 -> answer(out, "429 Too Many Requests", Map.of("Retry-After", "1"),
                    "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"injected fault\"}]}");
            case MALFORMED_MANIFEST -> {
                // Only a manifest read is broken; the rest of the registry still answers.
                if (!request.isManifestRead()) {
                    return false;
                }
                answer(out, "200 OK", Map.of("Content-Type", "application/vnd.oci.image.manifest.v1+json"),
                        "{\"schemaVersion\":2,\"layers\":[{\"digest\":\"not-a-digest\"");
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static void answer(OutputStream out, String status, Map<String, String> headers, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 " + status + "\r\n");
        Map<String, String> all = new LinkedHashMap<>(Map.of("Content-Type", "application/json"));
        all.putAll(headers);
        all.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }
}
