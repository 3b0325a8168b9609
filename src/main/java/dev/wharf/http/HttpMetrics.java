package dev.wharf.http;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The HTTP metrics of the programs Wharf replaces, under their names and labels, so that the
 * dashboards and alerts written for them read Wharf unchanged: boring-registry's
 * ({@code http_request_total}, {@code http_request_duration_seconds}, the size summaries, labelled
 * {@code method} and {@code code}) and the Elastic Package Registry's ({@code epr_http_…}, labelled
 * {@code code}, {@code method} and {@code path}, the route pattern).
 *
 * <p>Counted here, on the thread that completed the request, into {@link BucketCounts}, and handed
 * to the Prometheus registry at each scrape, rather than recorded into Micrometer's meters: these
 * are written on every request, the ready answers' included, from both selector threads, and
 * Micrometer's histograms share their counters between threads (and add {@code _max} gauges that
 * neither program has). The requests' count is the duration histogram's: one is recorded for each.
 */
public final class HttpMetrics implements ExchangeObserver, MultiCollector {
    /** The names and buckets of one program's HTTP metrics, as Prometheus names (a counter's without {@code _total}). */
    public record Names(String requests, String duration, String requestSize, String responseSize, boolean pathLabel,
                        Duration[] durationBuckets, double[] sizeBuckets) {
    }

    /** boring-registry: Prometheus' ExponentialBuckets(0.05, 1.6, 10) for durations, summaries for sizes. */
    public static final Names BORING_REGISTRY = new Names("http_request", "http_request_duration_seconds", "http_request_size_bytes",
            "http_response_size_bytes", false, exponential(0.05, 1.6, 10), new double[0]);
    /** The Elastic Package Registry: Prometheus' default buckets for durations, 16 B to 256 KiB for sizes. */
    public static final Names ELASTIC_PACKAGE_REGISTRY = new Names("epr_http_requests", "epr_http_request_duration_seconds",
            "epr_http_request_size_bytes", "epr_http_response_size_bytes", true,
            seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            new double[] {16, 32, 64, 128, 256, 512, 1024, 64 * 1024, 256 * 1024});

    private static final String REQUESTS_HELP = "HTTP requests answered";
    private static final String DURATION_HELP = "HTTP request latencies";
    private static final String REQUEST_SIZE_HELP = "HTTP request body sizes";
    private static final String RESPONSE_SIZE_HELP = "HTTP response body sizes";

    private record Key(String route, String method, int status) {
    }

    /** One label set's counts. */
    private record Series(Labels labels, BucketCounts duration, BucketCounts requestSize, BucketCounts responseSize) {
    }

    private final Names names;
    private final Function<Exchange, String> pathLabel;
    private final long[] durationBounds;
    private final long[] sizeBounds;
    // The exposition's upper bounds, +Inf last: seconds for durations, bytes for sizes.
    private final double[] durationUpper;
    private final double[] sizeUpper;
    private final Map<Key, Series> series = new ConcurrentHashMap<>();

    private HttpMetrics(Names names, Function<Exchange, String> pathLabel) {
        this.names = names;
        this.pathLabel = pathLabel;
        this.durationBounds = new long[names.durationBuckets().length];
        for (int i = 0; i < durationBounds.length; i++) {
            durationBounds[i] = names.durationBuckets()[i].toNanos();
        }
        this.sizeBounds = new long[names.sizeBuckets().length];
        for (int i = 0; i < sizeBounds.length; i++) {
            sizeBounds[i] = (long) names.sizeBuckets()[i];
        }
        this.durationUpper = new double[durationBounds.length + 1];
        for (int i = 0; i < durationBounds.length; i++) {
            durationUpper[i] = durationBounds[i] / 1e9;
        }
        durationUpper[durationBounds.length] = Double.POSITIVE_INFINITY;
        this.sizeUpper = Arrays.copyOf(names.sizeBuckets(), sizeBounds.length + 1);
        sizeUpper[sizeBounds.length] = Double.POSITIVE_INFINITY;
    }

    /** Metrics labelled by method and status only (boring-registry's), collected by {@code registry}. */
    public static HttpMetrics registeredIn(PrometheusRegistry registry, Names names) {
        return registeredIn(registry, names, Exchange::route);
    }

    /** @param pathLabel the {@code path} label of an exchange, when the names have one: a route pattern, never the raw path */
    public static HttpMetrics registeredIn(PrometheusRegistry registry, Names names, Function<Exchange, String> pathLabel) {
        HttpMetrics metrics = new HttpMetrics(names, pathLabel);
        registry.register(metrics);
        return metrics;
    }

    @Override
    public void exchanged(Exchange exchange) {
        Key key = new Key(names.pathLabel() ? pathLabel.apply(exchange) : "", RequestObserver.methodLabel(exchange.method()), exchange.status());
        // Read first: this::newSeries is a new object, made on every call to computeIfAbsent.
        Series s = series.get(key);
        if (s == null) {
            s = series.computeIfAbsent(key, this::newSeries);
        }
        s.duration().record(Math.max(0, exchange.nanos()));
        s.requestSize().record(Math.max(0, exchange.requestBytes()));
        s.responseSize().record(Math.max(0, exchange.responseBytes()));
    }

    private Series newSeries(Key key) {
        Labels labels = names.pathLabel()
                ? Labels.of("code", Integer.toString(key.status()), "method", key.method(), "path", key.route())
                : Labels.of("code", Integer.toString(key.status()), "method", key.method());
        return new Series(labels, new BucketCounts(durationBounds), new BucketCounts(sizeBounds), new BucketCounts(sizeBounds));
    }

    @Override
    public MetricSnapshots collect() {
        if (series.isEmpty()) {
            return MetricSnapshots.of();
        }
        CounterSnapshot.Builder requests = CounterSnapshot.builder().name(names.requests()).help(REQUESTS_HELP);
        HistogramSnapshot.Builder duration = HistogramSnapshot.builder().name(names.duration()).help(DURATION_HELP);
        SizeFamily requestSize = new SizeFamily(names.requestSize(), REQUEST_SIZE_HELP, sizeUpper);
        SizeFamily responseSize = new SizeFamily(names.responseSize(), RESPONSE_SIZE_HELP, sizeUpper);
        for (Series s : series.values()) {
            BucketCounts.Snapshot d = s.duration().snapshot();
            requests.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(s.labels()).value(d.count()).build());
            duration.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(s.labels())
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(durationUpper, d.counts())).sum(d.sum() / 1e9).build());
            requestSize.add(s.labels(), s.requestSize().snapshot());
            responseSize.add(s.labels(), s.responseSize().snapshot());
        }
        return MetricSnapshots.of(requests.build(), duration.build(), requestSize.build(), responseSize.build());
    }

    @Override
    public List<MetricFamilyDescriptor> getMetricFamilyDescriptors() {
        // Described, so that the registry refuses a second collector under the same names and labels.
        List<String> labels = names.pathLabel() ? List.of("code", "method", "path") : List.of("code", "method");
        MetricType sizes = names.sizeBuckets().length > 0 ? MetricType.HISTOGRAM : MetricType.SUMMARY;
        return List.of(
                MetricFamilyDescriptor.of(MetricType.COUNTER, new MetricMetadata(names.requests(), REQUESTS_HELP), labels),
                MetricFamilyDescriptor.of(MetricType.HISTOGRAM, new MetricMetadata(names.duration(), DURATION_HELP), labels),
                MetricFamilyDescriptor.of(sizes, new MetricMetadata(names.requestSize(), REQUEST_SIZE_HELP), labels),
                MetricFamilyDescriptor.of(sizes, new MetricMetadata(names.responseSize(), RESPONSE_SIZE_HELP), labels));
    }

    /** A size family: a histogram when the names give size buckets, otherwise a summary of count and sum. */
    private static final class SizeFamily {
        private final String name;
        private final String help;
        private final double[] upper;
        private final List<HistogramSnapshot.HistogramDataPointSnapshot> histogram = new ArrayList<>();
        private final List<SummarySnapshot.SummaryDataPointSnapshot> summary = new ArrayList<>();

        /** @param upper the upper bounds, {@code +Inf} last; {@code +Inf} alone for a summary */
        SizeFamily(String name, String help, double[] upper) {
            this.name = name;
            this.help = help;
            this.upper = upper;
        }

        void add(Labels labels, BucketCounts.Snapshot s) {
            if (upper.length > 1) {
                histogram.add(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(labels)
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(upper, s.counts())).sum(s.sum()).build());
            } else {
                summary.add(SummarySnapshot.SummaryDataPointSnapshot.builder().labels(labels).count(s.count()).sum(s.sum()).build());
            }
        }

        MetricSnapshot build() {
            if (upper.length > 1) {
                HistogramSnapshot.Builder b = HistogramSnapshot.builder().name(name).help(help);
                histogram.forEach(b::dataPoint);
                return b.build();
            }
            SummarySnapshot.Builder b = SummarySnapshot.builder().name(name).help(help);
            summary.forEach(b::dataPoint);
            return b.build();
        }
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
