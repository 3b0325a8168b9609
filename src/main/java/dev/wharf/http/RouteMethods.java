package dev.wharf.http;

import io.javalin.config.JavalinConfig;
import io.javalin.event.HandlerMetaInfo;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** The HTTP methods some route of the server takes, for the {@code Allow} of {@code OPTIONS *}. */
final class RouteMethods {
    /** In the order RFC 9110 lists them; OPTIONS is always taken ({@link ServerWideRequests}). */
    private static final List<String> ORDER = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private final Set<String> taken = ConcurrentHashMap.newKeySet();

    /** Starts listening to the routes {@code cfg} is given; call before they are added. */
    static RouteMethods listen(JavalinConfig cfg) {
        RouteMethods methods = new RouteMethods();
        methods.taken.add("OPTIONS");
        cfg.events.handlerAdded(methods::added);
        return methods;
    }

    private void added(HandlerMetaInfo route) {
        taken.add(route.getHttpMethod().name());
    }

    /** The methods taken, as an {@code Allow} value. */
    String allow() {
        return ORDER.stream().filter(taken::contains).collect(Collectors.joining(", "));
    }
}
