package dev.wharf.epr.api;

import dev.wharf.http.Exchange;

/**
 * The route templates EPR 1.40 registers with its router, which its metrics carry as the
 * {@code path} label; Wharf's router matches the same requests with two wildcard routes, told
 * apart here so that a dashboard's {@code path="…"} selectors match Wharf's series too.
 */
public final class EprRoutes {
    static final String ARTIFACTS = "/epr/{packageName}/{packageName:[a-z0-9_]+}-{packageVersion}.zip";
    static final String SIGNATURES = "/epr/{packageName}/{packageName:[a-z0-9_]+}-{packageVersion}.zip.sig";
    static final String PACKAGE_INDEX = "/package/{packageName:[a-z0-9_]+}/{packageVersion}/";
    static final String STATIC = "/package/{packageName}/{packageVersion}/{name:.*}";

    private EprRoutes() {
    }

    /** EPR's template for the route that answered {@code exchange}. */
    public static String template(Exchange exchange) {
        String path = exchange.path();
        return switch (exchange.route()) {
            case "/epr/<rest>" -> path.endsWith(".sig") ? SIGNATURES : ARTIFACTS;
            case "/package/<rest>" -> path.endsWith("/") && path.chars().filter(c -> c == '/').count() == 4 ? PACKAGE_INDEX : STATIC;
            default -> exchange.route();
        };
    }
}
