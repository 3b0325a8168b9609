package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The HTTP metrics as a scrape shows them: boring-registry's and EPR's families, buckets counted
 * up to and including their bound, sums in seconds and bytes, one request counted once, exactly,
 * from threads recording at once.
 */
class HttpMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private static Exchange exchange(String route, String method, int status, long nanos, long requestBytes, long responseBytes) {
        return new Exchange(route, method, "/raw" + route, null, "HTTP/1.1", status, requestBytes, responseBytes, nanos, "127.0.0.1", "test");
    }

    @Test
    void boringRegistrysFamiliesCountEachRequestIntoItsBucket() {
        HttpMetrics metrics = HttpMetrics.registeredIn(registry.getPrometheusRegistry(), HttpMetrics.BORING_REGISTRY);
        metrics.exchanged(exchange("/v1/modules/{namespace}/{name}/{provider}/versions", "GET", 200, 50_000_000, 0, 228));
        metrics.exchanged(exchange("/v1/providers/{namespace}/{name}/versions", "GET", 200, 50_000_001, 0, 3564));
        metrics.exchanged(exchange("/v1/providers/{namespace}/{name}/versions", "GET", 200, 9_000_000_000L, 0, 100));
        metrics.exchanged(exchange("unmatched", "BREW", 404, 1_000, 12, 9));

        String scrape = registry.scrape();

        assertThat(scrape).contains(
                "# TYPE http_request_total counter\n",
                "http_request_total{code=\"200\",method=\"GET\"} 3.0\n",
                "http_request_total{code=\"404\",method=\"OTHER\"} 1.0\n",
                "# HELP http_request_duration_seconds HTTP request latencies\n",
                "# TYPE http_request_duration_seconds histogram\n",
                // 50 ms is in the 0.05 bucket (its bound included), 50 ms and 1 ns is not; 9 s only in +Inf.
                "http_request_duration_seconds_bucket{code=\"200\",method=\"GET\",le=\"0.05\"} 1\n",
                "http_request_duration_seconds_bucket{code=\"200\",method=\"GET\",le=\"0.08\"} 2\n",
                "http_request_duration_seconds_bucket{code=\"200\",method=\"GET\",le=\"3.435973837\"} 2\n",
                "http_request_duration_seconds_bucket{code=\"200\",method=\"GET\",le=\"+Inf\"} 3\n",
                "http_request_duration_seconds_count{code=\"200\",method=\"GET\"} 3\n",
                "http_request_duration_seconds_sum{code=\"200\",method=\"GET\"} 9.100000001\n",
                "http_request_duration_seconds_bucket{code=\"404\",method=\"OTHER\",le=\"0.05\"} 1\n",
                "# TYPE http_request_size_bytes summary\n",
                "http_request_size_bytes_count{code=\"404\",method=\"OTHER\"} 1\n",
                "http_request_size_bytes_sum{code=\"404\",method=\"OTHER\"} 12.0\n",
                "http_request_size_bytes_sum{code=\"200\",method=\"GET\"} 0.0\n",
                "# TYPE http_response_size_bytes summary\n",
                "http_response_size_bytes_count{code=\"200\",method=\"GET\"} 3\n",
                "http_response_size_bytes_sum{code=\"200\",method=\"GET\"} 3892.0\n");
        // boring-registry's families have no labels but these, and no gauges beside them.
        assertThat(scrape).doesNotContain("path=", "_max", "_created");
        assertThat(scrape.lines().filter(l -> l.startsWith("http_request_duration_seconds_bucket{code=\"200\""))).hasSize(11);
    }

    @Test
    void eprsFamiliesAreLabelledByRouteAndHaveSizeBuckets() {
        HttpMetrics metrics = HttpMetrics.registeredIn(registry.getPrometheusRegistry(), HttpMetrics.ELASTIC_PACKAGE_REGISTRY,
                e -> e.route().toUpperCase());
        metrics.exchanged(exchange("/search", "GET", 200, 5_000_000, 0, 1024));
        metrics.exchanged(exchange("/search", "GET", 200, 5_000_001, 16, 1025));

        String scrape = registry.scrape();

        assertThat(scrape).contains(
                "epr_http_requests_total{code=\"200\",method=\"GET\",path=\"/SEARCH\"} 2.0\n",
                "epr_http_request_duration_seconds_bucket{code=\"200\",method=\"GET\",path=\"/SEARCH\",le=\"0.005\"} 1\n",
                "epr_http_request_duration_seconds_bucket{code=\"200\",method=\"GET\",path=\"/SEARCH\",le=\"0.01\"} 2\n",
                "# TYPE epr_http_request_size_bytes histogram\n",
                "epr_http_request_size_bytes_bucket{code=\"200\",method=\"GET\",path=\"/SEARCH\",le=\"16.0\"} 2\n",
                "epr_http_response_size_bytes_bucket{code=\"200\",method=\"GET\",path=\"/SEARCH\",le=\"512.0\"} 0\n",
                "epr_http_response_size_bytes_bucket{code=\"200\",method=\"GET\",path=\"/SEARCH\",le=\"1024.0\"} 1\n",
                "epr_http_response_size_bytes_bucket{code=\"200\",method=\"GET\",path=\"/SEARCH\",le=\"65536.0\"} 2\n",
                "epr_http_response_size_bytes_count{code=\"200\",method=\"GET\",path=\"/SEARCH\"} 2\n",
                "epr_http_response_size_bytes_sum{code=\"200\",method=\"GET\",path=\"/SEARCH\"} 2049.0\n");
    }

    @Test
    void aScrapeBeforeAnyRequestShowsNoFamily() {
        HttpMetrics.registeredIn(registry.getPrometheusRegistry(), HttpMetrics.BORING_REGISTRY);

        assertThat(registry.scrape()).doesNotContain("http_request");
    }

    @Test
    void threadsRecordingAtOnceLoseNoRequest() throws Exception {
        HttpMetrics metrics = HttpMetrics.registeredIn(registry.getPrometheusRegistry(), HttpMetrics.BORING_REGISTRY);
        int threads = 4;
        int each = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        metrics.exchanged(exchange("/v1/modules/{namespace}/{name}/{provider}/versions", "GET", 200, 1_000, 0, 228));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }

        assertThat(registry.scrape()).contains(
                "http_request_total{code=\"200\",method=\"GET\"} 200000.0\n",
                "http_request_duration_seconds_bucket{code=\"200\",method=\"GET\",le=\"0.05\"} 200000\n",
                "http_request_duration_seconds_sum{code=\"200\",method=\"GET\"} 0.2\n",
                "http_response_size_bytes_sum{code=\"200\",method=\"GET\"} 4.56E7\n");
    }

    @Test
    void aSecondCollectorUnderTheSameNamesIsRefused() {
        HttpMetrics.registeredIn(registry.getPrometheusRegistry(), HttpMetrics.BORING_REGISTRY);

        assertThatThrownBy(() -> HttpMetrics.registeredIn(registry.getPrometheusRegistry(), HttpMetrics.BORING_REGISTRY))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
