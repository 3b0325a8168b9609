package dev.wharf.cli.boring;

import dev.wharf.cli.Listeners;
import dev.wharf.http.AccessLog;
import dev.wharf.http.BoundPort;
import dev.wharf.http.CredentialThrottle;
import dev.wharf.http.ExchangeObserver;
import dev.wharf.http.HttpMetrics;
import dev.wharf.http.ReadyAnswerCounter;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.RequestObserver;
import dev.wharf.http.RequestTimers;
import dev.wharf.http.ServerLimits;
import dev.wharf.http.TlsFiles;
import dev.wharf.http.WebServer;
import dev.wharf.http.access.FailedCredentials;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The registry's listener: its routes behind the ready answers, every request timed and counted, and logged unless --access-log=false. */
final class RegistryListener {
    private RegistryListener() {
    }

    static WebServer start(BoundPort port, Optional<TlsFiles> tls, ReadyAnswers ready, ServerLimits limits, RegistryRoutes routes,
                           PrometheusMeterRegistry metrics, boolean accessLog, FailedCredentials failures) {
        RequestTimers timers = new RequestTimers(metrics, "wharf_http_requests");
        ReadyAnswerCounter readyHits = new ReadyAnswerCounter(metrics);
        RequestObserver readyObserver = (route, method, status, micros) -> {
            timers.observe(route, method, status, micros);
            readyHits.observe(route, method, status, micros);
        };
        HttpMetrics http = HttpMetrics.registeredIn(metrics.getPrometheusRegistry(), HttpMetrics.BORING_REGISTRY);
        List<ExchangeObserver> exchanges = new ArrayList<>(List.of(http, routes.operations()));
        if (accessLog) {
            exchanges.add(new AccessLog());
        }
        return Listeners.start("--listen-address", () -> WebServer.start(port, tls,
                Optional.of(ready), readyObserver, exchanges, limits, cfg -> {
                    routes.register(cfg);
                    CredentialThrottle.install(cfg, failures, ThrottleOptions.guarded(), metrics);
                    cfg.requestLogger.http(timers::record);
                }));
    }
}
