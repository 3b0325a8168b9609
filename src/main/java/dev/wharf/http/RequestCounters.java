package dev.wharf.http;

import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One Micrometer counter per status code and method, tagged {@code code} and {@code method} as the
 * Elastic Package Registry's metrics are, found again without building a meter id per request (see
 * {@link RequestTimers}).
 */
public final class RequestCounters implements RequestObserver {
    private record Key(String method, int status) {
    }

    private final MeterRegistry registry;
    private final String name;
    private final Map<Key, Counter> counters = new ConcurrentHashMap<>();

    public RequestCounters(MeterRegistry registry, String name) {
        this.registry = registry;
        this.name = name;
    }

    /** Counts one answered request; meant for a Javalin after-handler. */
    public void record(Context ctx) {
        observe(null, RequestObserver.methodLabel(ctx.method().name()), ctx.statusCode(), 0);
    }

    @Override
    public void observe(@Nullable String route, String method, int status, long micros) {
        counters.computeIfAbsent(new Key(method, status), k -> Counter.builder(name)
                .tag("code", Integer.toString(k.status()))
                .tag("method", k.method())
                .register(registry)).increment();
    }
}
