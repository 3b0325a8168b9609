package dev.wharf.http;

/**
 * One answered request, as the server saw it when the last byte was out: what metrics and the
 * access log are made of.
 *
 * @param route          the route pattern that answered ({@code /v1/modules/{namespace}/...}), or
 *                       {@code unmatched} when none did; never the raw path, so labels stay few
 * @param path           the raw path, without query
 * @param query          the raw query string, or null; may carry signatures: see {@link QueryRedaction}
 * @param requestBytes   body bytes read
 * @param responseBytes  body bytes written
 * @param nanos          from the request's first byte to its completion
 * @param userAgent      the {@code User-Agent} header, or null
 */
public record Exchange(String route, String method, String path, String query, String protocol, int status,
                       long requestBytes, long responseBytes, long nanos, String clientAddress, String userAgent) {
    /** The request attribute a handler sets to the route pattern it answered for. */
    public static final String ROUTE_ATTRIBUTE = "wharf.route";
    public static final String UNMATCHED = "unmatched";

    public double seconds() {
        return nanos / 1e9;
    }
}
