package dev.wharf.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code wharf_tls_certificate_expiration_timestamp_seconds}: when the certificate a server serves
 * ends, as a Unix time, following renewals. The log warns a week ahead; an alert on this gauge
 * ({@code … - time() < 14 * 86400}) warns whoever watches the dashboards instead, with the time they
 * choose. Named as cert-manager names its own, so existing alert rules read it with a new name only.
 */
public final class TlsCertificateMetrics {
    public static final String NAME = "wharf.tls.certificate.expiration.timestamp";

    private TlsCertificateMetrics() {
    }

    /** Registers the gauge for {@code server} when it serves TLS; a plain HTTP server has nothing to show. */
    public static void bindTo(MeterRegistry metrics, WebServer server) {
        if (!server.isTls()) {
            return;
        }
        Gauge.builder(NAME, server, s -> s.certificateNotAfter().map(end -> (double) end.getEpochSecond()).orElse(Double.NaN))
                .baseUnit("seconds").strongReference(true)
                .description("When the TLS certificate served now expires, as a Unix time; follows renewals")
                .register(metrics);
    }
}
