package dev.wharf.http;

import dev.wharf.oci.registry.RegistryCallObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code wharf_registry_requests_seconds{operation,status}}: every exchange with the OCI registry,
 * by operation ({@code list_tags}, {@code get_manifest}, {@code get_blob}, ...) and status
 * ({@code 0}: no answer), with its latency.
 */
public final class RegistryCallMetrics implements RegistryCallObserver {
    private record Key(String operation, int status) {
    }

    private final MeterRegistry registry;
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

    public RegistryCallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void called(String operation, int status, long nanos) {
        timers.computeIfAbsent(new Key(operation, status), k -> Timer.builder("wharf.registry.requests")
                .description("Requests to the OCI registry, until the answer's headers arrived")
                .tag("operation", k.operation()).tag("status", Integer.toString(k.status()))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }
}
