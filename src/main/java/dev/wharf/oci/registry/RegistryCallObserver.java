package dev.wharf.oci.registry;

/**
 * Told of every HTTP exchange with the registry, each attempt of a retried one included: what it
 * was ({@link #operation}), the status it got ({@code 0} when no answer came: refused, reset, timed
 * out) and how long until the answer's headers arrived. Metrics hang off this; it must not block.
 */
@FunctionalInterface
public interface RegistryCallObserver {
    RegistryCallObserver NONE = (operation, status, nanos) -> { };

    void called(String operation, int status, long nanos);

    /** A short, bounded name for a request: never a repository, tag or digest. */
    static String operation(String method, String path) {
        String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        if (p.endsWith("/v2/") || p.endsWith("/v2")) {
            return "ping";
        }
        if (p.endsWith("/tags/list")) {
            return "list_tags";
        }
        if (p.contains("/manifests/")) {
            return method.toLowerCase(java.util.Locale.ROOT) + "_manifest";
        }
        if (p.contains("/blobs/uploads")) {
            return switch (method) {
                case "POST" -> path.contains("mount=") ? "mount_blob" : "start_upload";
                case "PATCH" -> "upload_chunk";
                case "PUT" -> "finish_upload";
                default -> method.toLowerCase(java.util.Locale.ROOT) + "_upload";
            };
        }
        if (p.contains("/blobs/")) {
            return method.toLowerCase(java.util.Locale.ROOT) + "_blob";
        }
        return "other";
    }
}
