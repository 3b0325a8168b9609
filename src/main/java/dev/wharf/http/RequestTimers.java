package dev.wharf.http;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One Micrometer timer per route, method and status, found again without building a meter id per
 * request: {@code Timer.builder(...).register(...)} sorts and allocates tags on every call, which
 * showed up in the cost of the cheapest answers.
 */
public final class RequestTimers implements RequestObserver {
    private record Key(String route, String method, int status) {
    }

    private final MeterRegistry registry;
    private final String name;
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

    public RequestTimers(MeterRegistry registry, String name) {
        this.registry = registry;
        this.name = name;
    }

    /** Records one answered request; meant for Javalin's HTTP request logger. */
    public void record(Context ctx, float millis) {
        // endpoints().lastHttpEndpoint(), not endpoint(): after an after-handler ran, endpoint() is that handler's "*".
        io.javalin.router.Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        observe(endpoint == null ? "unmatched" : endpoint.path, ctx.method().name(), ctx.statusCode(), (long) (millis * 1000));
    }

    @Override
    public void observe(String route, String method, int status, long micros) {
        timers.computeIfAbsent(new Key(route, method, status), k -> Timer.builder(name)
                .tag("route", k.route())
                .tag("method", k.method())
                .tag("status", Integer.toString(k.status()))
                .register(registry)).record(micros, TimeUnit.MICROSECONDS);
    }
}
