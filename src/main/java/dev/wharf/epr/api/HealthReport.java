package dev.wharf.epr.api;

import dev.wharf.epr.index.IndexHealth;
import dev.wharf.epr.index.Indexer;
import dev.wharf.epr.model.Json;
import dev.wharf.http.Readiness;
import dev.wharf.http.RequestIds;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of {@code /health}, in two views of one shape. In full on the metrics address: the
 * source as configured (registry host and repository, or the package paths) and the source's error
 * as it was raised, which may name a user. On the API address, for anyone: the kind of source and
 * the error in general terms with an id; the full error is logged once under that id.
 */
final class HealthReport {
    private static final Logger LOG = LoggerFactory.getLogger(HealthReport.class);

    /** One id per distinct error, so that a probe every few seconds logs it once, not every time. */
    private record Incident(String detail, String id) {
    }

    private final Indexer indexer;
    private final Clock clock;
    private final Readiness readiness;
    private final AtomicReference<Incident> incident = new AtomicReference<>();

    HealthReport(Indexer indexer, Clock clock, Readiness readiness) {
        this.readiness = readiness;
        this.indexer = indexer;
        this.clock = clock;
    }

    /**
     * Plain {@code /health} is liveness: 200 while the first index loads (status "starting"), so a
     * slow first index does not get the process restarted. {@code ?ready=true} is readiness: 503
     * until that index is loaded and again once shutdown has begun.
     */
    void answer(Context ctx, boolean detailed) {
        IndexHealth h = indexer.health();
        Readiness.State state = readiness.state();
        boolean readinessAsked = Readiness.asked(ctx.queryParam("ready"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", state == Readiness.State.READY ? h.state().name().toLowerCase(java.util.Locale.ROOT) : state.label());
        body.put("packages", h.packages());
        body.put("source", detailed ? h.source() : indexer.kind());
        h.indexedAt().ifPresent(at -> {
            body.put("indexed_at", at.toString());
            body.put("index_age_seconds", Math.max(0, Duration.between(at, clock.instant()).toSeconds()));
        });
        h.error().filter(e -> state != Readiness.State.STARTING).ifPresent(e -> {
            if (detailed) {
                body.put("error", e);
            } else {
                String id = incidentId(e);
                ctx.header(RequestIds.HEADER, id);
                body.put("error", "the package source failed (request id " + id
                        + "; the server log and /health on the metrics address have the details)");
            }
        });
        ctx.res().setHeader("Cache-Control", null);
        ctx.res().addHeader("Cache-Control", "max-age=0");
        ctx.res().addHeader("Cache-Control", "private, no-store");
        int status;
        if (state == Readiness.State.STARTING) {
            status = readinessAsked ? 503 : 200;
        } else if (state == Readiness.State.STOPPING && readinessAsked) {
            status = 503;
        } else {
            status = h.state() == IndexHealth.State.UNAVAILABLE ? 503 : 200;
        }
        ctx.status(status);
        ctx.contentType("application/json");
        ctx.result(Json.pretty(body));
    }

    private String incidentId(String detail) {
        Incident known = incident.get();
        if (known != null && known.detail().equals(detail)) {
            return known.id();
        }
        Incident fresh = new Incident(detail, RequestIds.newId());
        if (incident.compareAndSet(known, fresh)) {
            LOG.warn("health error {}: {}", fresh.id(), detail);
            return fresh.id();
        }
        return incidentId(detail);
    }
}
