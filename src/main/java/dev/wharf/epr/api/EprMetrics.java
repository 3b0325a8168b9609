package dev.wharf.epr.api;

import dev.wharf.epr.index.Indexer;
import dev.wharf.epr.index.IndexerTiming;
import dev.wharf.epr.index.RefreshListener;
import dev.wharf.http.Exchange;
import dev.wharf.http.ExchangeObserver;
import dev.wharf.http.InFlightRequests;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Elastic Package Registry's own metrics beside the HTTP ones: {@code epr_service_info},
 * {@code epr_in_flight_requests}, {@code epr_number_indexed_packages}, {@code epr_indexer_get_duration_seconds}, the storage indexer's
 * {@code epr_storage_indexer_update_index_*} (Wharf's OCI indexer is EPR's storage indexer), and
 * {@code epr_storage_requests_total{location,component}} for every artifact, signature and static
 * file served.
 */
public final class EprMetrics implements ExchangeObserver, RefreshListener {
    private static final Duration[] GO_DEFAULT_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};
    private final MeterRegistry registry;
    private final String location;
    private final Counter updateSuccess;
    private final Counter updateError;
    private final Timer updateDuration;

    /** @param location the {@code location} label of storage requests: {@code local} for folders, {@code oci} for a registry */
    public EprMetrics(MeterRegistry registry, String version, String instance, String location, InFlightRequests inFlight) {
        this.registry = registry;
        this.location = location;
        Gauge.builder("epr.service.info", () -> 1).description("Version information about this binary.")
                .tag("version", version).tag("instance", instance).register(registry);
        Gauge.builder("epr.in.flight.requests", inFlight, InFlightRequests::count)
                .description("A gauge of requests currently being served by the http server.").register(registry);
        this.updateSuccess = Counter.builder("epr.storage.indexer.update.index.success")
                .description("Index updates of the storage indexer that finished successfully.").register(registry);
        this.updateError = Counter.builder("epr.storage.indexer.update.index.error")
                .description("Index updates of the storage indexer that finished with an error.").register(registry);
        this.updateDuration = Timer.builder("epr.storage.indexer.update.index.duration")
                .description("Latencies of the index updates run by the storage indexer.")
                .serviceLevelObjectives(GO_DEFAULT_BUCKETS).register(registry);
    }

    /**
     * {@code epr_number_indexed_packages}, read from the indexer at each scrape, and the timing of
     * look-ups in it, labelled {@code indexer} with its kind as EPR labels its own.
     */
    public IndexerTiming watch(Indexer indexer) {
        Gauge.builder("epr.number.indexed.packages", indexer, i -> i.packages().size())
                .description("A gauge for number of indexed packages.").register(registry);
        Timer gets = Timer.builder("epr.indexer.get.duration").description("Latencies of look-ups in the index.")
                .tag("indexer", indexer.name()).serviceLevelObjectives(GO_DEFAULT_BUCKETS).register(registry);
        return nanos -> gets.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void refreshed(boolean succeeded, long nanos, int packages) {
        (succeeded ? updateSuccess : updateError).increment();
        updateDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void exchanged(Exchange e) {
        if (e.status() != 200) {
            return;
        }
        String component;
        if (e.route().equals("/epr/<rest>")) {
            component = e.path().endsWith(".sig") ? "signatures" : "artifacts";
        } else if (e.route().equals("/package/<rest>") && !e.path().endsWith("/")) {
            component = "statics";
        } else {
            return;
        }
        Counter.builder("epr.storage.requests").description("A counter for requests performed to the storage.")
                .tag("location", location).tag("component", component).register(registry).increment();
    }
}
