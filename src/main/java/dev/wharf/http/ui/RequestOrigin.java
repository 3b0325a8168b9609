package dev.wharf.http.ui;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;

/**
 * The origin a request was sent to, {@code scheme://host[:port]}, as the client addressed it: the
 * Host header and the server's own TLS, or what a trusted proxy says in X-Forwarded-Proto, -Host
 * and -Port ({@code --http-trust-forwarded}), which Jetty has applied by now.
 */
public final class RequestOrigin {
    private RequestOrigin() {
    }

    public static String of(HttpServletRequest request) {
        String scheme = request.getScheme().toLowerCase(Locale.ROOT);
        String host = request.getServerName();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";  // an IPv6 address
        }
        int port = request.getServerPort();
        boolean usual = port <= 0 || "https".equals(scheme) && port == 443 || "http".equals(scheme) && port == 80;
        return scheme + "://" + host + (usual ? "" : ":" + port);
    }
}
