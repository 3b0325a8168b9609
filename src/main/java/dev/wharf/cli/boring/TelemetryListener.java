package dev.wharf.cli.boring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.cli.Listeners;
import dev.wharf.http.BoundPort;
import dev.wharf.http.Readiness;
import dev.wharf.http.WebServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The telemetry address: {@code /metrics} for Prometheus, and {@code /health} on storage (with {@code ?ready=true}, readiness
 * too) and on the OIDC issuer, when one has not answered.
 */
final class TelemetryListener {
    private TelemetryListener() {
    }

    static WebServer start(BoundPort port, PrometheusMeterRegistry metrics, StorageHealth health, Readiness readiness,
                           Supplier<Optional<String>> issuerUnreachable) {
        ObjectMapper json = new ObjectMapper();
        return Listeners.start("--listen-telemetry-address", () -> WebServer.start(port,
                Optional.empty(), cfg -> {
                    cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
                    cfg.routes.get("/health", ctx -> {
                        StorageHealth.Report report = health.check();
                        // A healthy answer here makes the process ready, as the start probe's would.
                        if (report.healthy()) {
                            readiness.ready();
                        }
                        boolean ok = report.healthy() && (readiness.isReady() || !Readiness.asked(ctx.queryParam("ready")));
                        ctx.status(ok ? 200 : 503).contentType("application/json")
                                .result(json.writeValueAsString(report.withIssuer(issuerUnreachable.get())));
                    });
                }));
    }
}
