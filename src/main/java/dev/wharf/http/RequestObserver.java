package dev.wharf.http;

/** Told of every answered request, whichever path answered it; metrics hang off this. */
@FunctionalInterface
public interface RequestObserver {
    RequestObserver NONE = (route, method, status, micros) -> { };

    /** The route label of a request no route matched: one label for all of them, never the path (metric cardinality). */
    String UNMATCHED = "unmatched";

    /**
     * The method as a metric label: the standard methods by name, anything else as {@code OTHER},
     * since a client may send any token as a method and each would otherwise become a time series.
     */
    static String methodLabel(String method) {
        return switch (method) {
            case "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT" -> method;
            default -> "OTHER";
        };
    }

    void observe(String route, String method, int status, long micros);
}
