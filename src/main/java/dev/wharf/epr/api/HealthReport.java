package dev.wharf.epr.api;

import dev.wharf.epr.index.IndexHealth;
import dev.wharf.epr.index.Indexer;
import dev.wharf.epr.model.Json;
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
    private final AtomicReference<Incident> incident = new AtomicReference<>();

    HealthReport(Indexer indexer, Clock clock) {
        this.indexer = indexer;
        this.clock = clock;
    }

    void answer(Context ctx, boolean detailed) {
        IndexHealth h = indexer.health();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", h.state().name().toLowerCase(java.util.Locale.ROOT));
        body.put("packages", h.packages());
        body.put("source", detailed ? h.source() : indexer.kind());
        h.indexedAt().ifPresent(at -> {
            body.put("indexed_at", at.toString());
            body.put("index_age_seconds", Math.max(0, Duration.between(at, clock.instant()).toSeconds()));
        });
        h.error().ifPresent(e -> {
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
        ctx.status(h.state() == IndexHealth.State.UNAVAILABLE ? 503 : 200);
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
