package dev.wharf.http;

import org.jspecify.annotations.Nullable;

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
 * @param host           the host the request named (its {@code Host} header or absolute URI), or null
 * @param port           the port it named, or -1 when it named none
 * @param referer        the {@code Referer} header, or null; may carry a query: see {@link QueryRedaction}
 */
public record Exchange(String route, String method, String path, String query, String protocol, int status,
                       long requestBytes, long responseBytes, long nanos, String clientAddress, String userAgent,
                       @Nullable String host, int port, @Nullable String referer) {
    /** The request attribute a handler sets to the route pattern it answered for. */
    public static final String ROUTE_ATTRIBUTE = "wharf.route";
    public static final String UNMATCHED = "unmatched";

    /** A request that named no host, port or referer. */
    public Exchange(String route, String method, String path, String query, String protocol, int status,
                    long requestBytes, long responseBytes, long nanos, String clientAddress, String userAgent) {
        this(route, method, path, query, protocol, status, requestBytes, responseBytes, nanos, clientAddress, userAgent, null, -1, null);
    }

    public double seconds() {
        return nanos / 1e9;
    }
}
