package dev.wharf.cli.epr;

import dev.wharf.cli.Listeners;
import dev.wharf.cli.logging.ConsoleLogging;
import dev.wharf.epr.api.EprApi;
import dev.wharf.epr.api.EprMetrics;
import dev.wharf.epr.api.EprRoutes;
import dev.wharf.http.AccessLog;
import dev.wharf.http.BoundPort;
import dev.wharf.http.ExchangeObserver;
import dev.wharf.http.HttpMetrics;
import dev.wharf.http.InFlightRequests;
import dev.wharf.http.ProcessMetrics;
import dev.wharf.http.ReadyAnswerCounter;
import dev.wharf.http.RequestObserver;
import dev.wharf.http.WebServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * package-registry's meters (the process's, HTTP's and EPR's own) and the {@code -metrics-address}
 * listener that exposes them with the detailed health report. Without that address no request is
 * measured: nobody could read the figures.
 */
final class EprTelemetry {
    private final PrometheusMeterRegistry metrics;
    private final InFlightRequests inFlight;
    private final EprMetrics epr;
    private final @Nullable String address;

    private EprTelemetry(PrometheusMeterRegistry metrics, InFlightRequests inFlight, EprMetrics epr, @Nullable String address) {
        this.metrics = metrics;
        this.inFlight = inFlight;
        this.epr = epr;
        this.address = address;
    }

    /**
     * {@code oci}: whether packages come from an OCI repository, for EPR's location label. An empty
     * {@code address} is none, as EPR reads it: {@code EPR_METRICS_ADDRESS=} turns metrics off there too.
     */
    static EprTelemetry create(boolean oci, @Nullable String address) {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        InFlightRequests inFlight = new InFlightRequests();
        return new EprTelemetry(metrics, inFlight, new EprMetrics(metrics, EprApi.EPR_API_VERSION, hostname(), oci ? "oci" : "local", inFlight),
                address == null || address.isEmpty() ? null : address);
    }

    MeterRegistry registry() {
        return metrics;
    }

    EprMetrics epr() {
        return epr;
    }

    /** What every completed request on the API address is told to. */
    List<ExchangeObserver> exchanges(boolean accessLog) {
        List<ExchangeObserver> exchanges = new ArrayList<>();
        if (address != null) {
            HttpMetrics http = HttpMetrics.registeredIn(metrics.getPrometheusRegistry(), HttpMetrics.ELASTIC_PACKAGE_REGISTRY,
                    EprRoutes::template);
            exchanges.addAll(List.of(inFlight, http, epr));
        }
        if (accessLog) {
            // As EPR: its liveness check, the request target "/health" exactly, is not logged; "/health?ready=true" is.
            exchanges.add(new AccessLog(Set.of("/health")));
        }
        return exchanges;
    }

    /** Counts the answers served from memory. */
    RequestObserver readyHits() {
        return address == null ? RequestObserver.NONE : new ReadyAnswerCounter(metrics);
    }

    /** {@code -metrics-address} bound now ({@link BoundPort} says why); null without one. */
    @Nullable BoundPort bind() {
        return address == null ? null : Listeners.bind("-metrics-address", address);
    }

    /** {@code /metrics} and {@code api}'s detailed {@code /health} on {@code port}, the one {@link #bind} gave; null without one. */
    @Nullable WebServer startListener(@Nullable BoundPort port, EprApi api) {
        if (port == null) {
            return null;
        }
        // The JVM's own meters are bound only where /metrics can show them, and after the API listens:
        // their binders kept the start's first answers waiting (issue 19, session 10).
        ProcessMetrics.bindTo(metrics);
        ConsoleLogging.bindDroppedLines(metrics);
        return Listeners.start("-metrics-address", () -> WebServer.start(port, Optional.empty(), c -> {
            c.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.scrape()));
            api.registerDetailedHealth(c);
        }));
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
