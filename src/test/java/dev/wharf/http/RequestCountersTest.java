package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class RequestCountersTest {
    @Test
    void oneCounterPerCodeAndMethodWhicheverPathAnswered() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RequestCounters counters = new RequestCounters(registry, "epr_http_requests_total");
        counters.observe("/search", "GET", 200, 120);
        counters.observe("/categories", "GET", 200, 80);
        counters.observe("/search", "GET", 400, 50);

        assertThat(registry.get("epr_http_requests_total").tag("code", "200").tag("method", "GET").counter().count()).isEqualTo(2.0);
        assertThat(registry.get("epr_http_requests_total").tag("code", "400").tag("method", "GET").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("epr_http_requests_total").counters()).hasSize(2);
    }
}
