package dev.wharf.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The HTTP metrics of the programs Wharf replaces, under their names and labels, so that the
 * dashboards and alerts written for them read Wharf unchanged: boring-registry's
 * ({@code http_request_total}, {@code http_request_duration_seconds}, the size summaries, labelled
 * {@code method} and {@code code}) and the Elastic Package Registry's ({@code epr_http_…}, labelled
 * {@code code}, {@code method} and {@code path}, the route pattern).
 */
public final class HttpMetrics implements ExchangeObserver {
    /** The names and buckets of one program's HTTP metrics. */
    public record Names(String requests, String duration, String requestSize, String responseSize, boolean pathLabel,
                        Duration[] durationBuckets, double[] sizeBuckets) {
    }

    /** boring-registry: Prometheus' ExponentialBuckets(0.05, 1.6, 10) for durations, summaries for sizes. */
    public static final Names BORING_REGISTRY = new Names("http.request", "http.request.duration", "http.request.size",
            "http.response.size", false, exponential(0.05, 1.6, 10), new double[0]);
    /** The Elastic Package Registry: Prometheus' default buckets for durations, 16 B to 256 KiB for sizes. */
    public static final Names ELASTIC_PACKAGE_REGISTRY = new Names("epr.http.requests", "epr.http.request.duration",
            "epr.http.request.size", "epr.http.response.size", true,
            seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            new double[] {16, 32, 64, 128, 256, 512, 1024, 64 * 1024, 256 * 1024});

    private record Key(String route, String method, int status) {
    }

    private record Meters(Counter requests, Timer duration, DistributionSummary requestSize, DistributionSummary responseSize) {
    }

    private final MeterRegistry registry;
    private final Names names;
    private final Function<Exchange, String> pathLabel;
    private final Map<Key, Meters> meters = new ConcurrentHashMap<>();

    public HttpMetrics(MeterRegistry registry, Names names) {
        this(registry, names, Exchange::route);
    }

    /** @param pathLabel the {@code path} label of an exchange, when the names have one: a route pattern, never the raw path */
    public HttpMetrics(MeterRegistry registry, Names names, Function<Exchange, String> pathLabel) {
        this.registry = registry;
        this.names = names;
        this.pathLabel = pathLabel;
    }

    @Override
    public void exchanged(Exchange exchange) {
        // One lookup per request, no meter id built: building one sorts and allocates tags.
        Meters m = meters.computeIfAbsent(new Key(names.pathLabel() ? pathLabel.apply(exchange) : "", RequestObserver.methodLabel(exchange.method()), exchange.status()),
                this::register);
        m.requests().increment();
        m.duration().record(exchange.nanos(), TimeUnit.NANOSECONDS);
        m.requestSize().record(Math.max(0, exchange.requestBytes()));
        m.responseSize().record(Math.max(0, exchange.responseBytes()));
    }

    private Meters register(Key key) {
        Tags tags = Tags.of("code", Integer.toString(key.status()), "method", key.method());
        if (names.pathLabel()) {
            tags = tags.and("path", key.route());
        }
        return new Meters(
                Counter.builder(names.requests()).description("HTTP requests answered").tags(tags).register(registry),
                Timer.builder(names.duration()).description("HTTP request latencies").tags(tags)
                        .serviceLevelObjectives(names.durationBuckets()).register(registry),
                size(names.requestSize(), "HTTP request body sizes", tags),
                size(names.responseSize(), "HTTP response body sizes", tags));
    }

    private DistributionSummary size(String name, String description, Tags tags) {
        return DistributionSummary.builder(name).baseUnit("bytes").description(description).tags(tags)
                .serviceLevelObjectives(names.sizeBuckets()).register(registry);
    }

    private static Duration[] exponential(double start, double factor, int count) {
        Duration[] buckets = new Duration[count];
        double bound = start;
        for (int i = 0; i < count; i++) {
            buckets[i] = Duration.ofNanos(Math.round(bound * 1e9));
            bound *= factor;
        }
        return buckets;
    }

    private static Duration[] seconds(double... bounds) {
        Duration[] buckets = new Duration[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            buckets[i] = Duration.ofNanos(Math.round(bounds[i] * 1e9));
        }
        return buckets;
    }
}
