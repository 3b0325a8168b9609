package dev.wharf.epr.api;

import dev.wharf.epr.oci.FillListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wharf's own metrics of the OCI indexer's fill behind the index, beside EPR's:
 * {@code wharf_package_fill_failures_total{kind}} ({@code registry}, {@code blob_corrupt},
 * {@code blob_missing}, {@code zip_disagrees_with_config}, {@code blob_too_large}) and {@code wharf_package_fill_skipped_blobs}. Every kind is registered at
 * start, so a series is there at 0 before the first failure: an alert's {@code increase()} needs it.
 */
public final class FillMetrics implements FillListener {
    private final Map<Failure, Counter> failures = new EnumMap<>(Failure.class);
    private final AtomicInteger skipped = new AtomicInteger();

    public FillMetrics(MeterRegistry registry) {
        for (Failure kind : Failure.values()) {
            failures.put(kind, Counter.builder("wharf.package.fill.failures")
                    .description("Tries of the fill behind the index (or of a request first) to fetch a package's blobs that failed, by kind")
                    .tag("kind", kind.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        Gauge.builder("wharf.package.fill.skipped.blobs", skipped, AtomicInteger::get)
                .description("Package blobs broken in the OCI registry that wait for their next try (10 s, doubling up to 10 min)")
                .register(registry);
    }

    @Override
    public void failed(Failure kind) {
        Counter counter = failures.get(kind);
        if (counter != null) {
            counter.increment();
        }
    }

    @Override
    public void skipped(int blobs) {
        skipped.set(blobs);
    }
}
