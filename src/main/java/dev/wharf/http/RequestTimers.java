package dev.wharf.http;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
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

    /**
     * Records one answered request; meant for Javalin's HTTP request logger. A request no route
     * matched (only before-handlers, or nothing) is {@link #UNMATCHED}: {@code ctx.endpoint()} would
     * throw for it, or name a before-handler's wildcard.
     */
    public void record(Context ctx, float millis) {
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        observe(matched == null ? UNMATCHED : matched.path, RequestObserver.methodLabel(ctx.method().name()), ctx.statusCode(),
                (long) (millis * 1000));
    }

    @Override
    public void observe(String route, String method, int status, long micros) {
        Key key = new Key(route, method, status);
        // Read first: the registering lambda captures this, so computeIfAbsent alone made one per request.
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timers.computeIfAbsent(key, this::register);
        }
        timer.record(micros, TimeUnit.MICROSECONDS);
    }

    private Timer register(Key k) {
        return Timer.builder(name).tag("route", k.route()).tag("method", k.method()).tag("status", Integer.toString(k.status()))
                .register(registry);
    }
}
