package dev.wharf.http;

import io.javalin.config.JavalinConfig;
import io.javalin.event.HandlerMetaInfo;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives every GET route without a HEAD route of its own one that runs the GET handler, so that HEAD
 * says what GET would (RFC 9110 §9.3.2): its status, type and length, Jetty leaving out the body.
 *
 * <p>Javalin alone answers HEAD on a GET route with an empty 200 before any handler runs, whatever
 * GET would have said, a 404 for a version that does not exist included: a client that checks a
 * package or a module with {@code curl -I} was told it is there. Handlers whose body is a stored file
 * look at the method themselves and skip reading it.
 */
final class HeadRoutes {
    private final Map<String, Handler> gets = new LinkedHashMap<>();
    private final Set<String> heads = new HashSet<>();

    /** Starts listening to the routes {@code cfg} is given; call before they are added. */
    static HeadRoutes listen(JavalinConfig cfg) {
        HeadRoutes routes = new HeadRoutes();
        cfg.events.handlerAdded(routes::added);
        return routes;
    }

    private void added(HandlerMetaInfo route) {
        if (route.getHttpMethod() == HandlerType.GET) {
            gets.putIfAbsent(route.getPath(), route.getHandler());
        } else if (route.getHttpMethod() == HandlerType.HEAD) {
            heads.add(route.getPath());
        }
    }

    /** Adds the HEAD routes missing so far; call after every route was added. */
    void addMissing(JavalinConfig cfg) {
        List<Map.Entry<String, Handler>> missing = gets.entrySet().stream().filter(get -> !heads.contains(get.getKey())).toList();
        for (Map.Entry<String, Handler> get : missing) {
            cfg.routes.head(get.getKey(), get.getValue());
        }
    }
}
