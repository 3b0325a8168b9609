package dev.wharf.cli.boring;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.wharf.oci.ArtifactStore;
import org.jspecify.annotations.Nullable;
import dev.wharf.oci.FailureWatchingStore;
import dev.wharf.oci.StoreProbe;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code /health} on the telemetry address says: whether storage answers with the configured
 * credentials, within the probe's own short deadline. The probe lists the base repository's tags on
 * the uncached store, the cheapest call that needs both a reachable registry and accepted
 * credentials; a missing repository counts as healthy. When the probe passes but the last served
 * request of some kind failed (a truncated blob, a malformed manifest), the report says "degraded"
 * until a request of that kind succeeds again.
 */
final class StorageHealth {
    private final ArtifactStore store;
    private final StoreProbe probe;
    private final FailureWatchingStore served;

    StorageHealth(ArtifactStore store, StoreProbe probe, FailureWatchingStore served) {
        this.store = store;
        this.probe = probe;
        this.served = served;
    }

    /**
     * The answer of {@code /health}; {@code reason} is the storage error, which never holds credentials;
     * {@code oidc} why the OIDC issuer has not answered yet, if it has not.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Report(String status, String storage, @Nullable String reason, @Nullable String oidc) {
        Report(String status, String storage, @Nullable String reason) {
            this(status, storage, reason, null);
        }

        /** "degraded" answers 200: the registry answers, but a recent request failed (a corrupt blob, say). */
        boolean healthy() {
            return !"unhealthy".equals(status);
        }

        /**
         * With the issuer's outage said: "degraded" at worst, since the registry still serves
         * anonymous reads and other tokens, and a pod should not leave the Service for it.
         */
        Report withIssuer(Optional<String> unreachable) {
            return unreachable.map(why -> new Report("ok".equals(status) ? "degraded" : status, storage, reason, why)).orElse(this);
        }
    }

    Report check() {
        Optional<StoreProbe.Failure> failure = probe.check();
        if (failure.isPresent()) {
            return new Report("unhealthy", store.describe(), failure.get().kind().name().toLowerCase(Locale.ROOT) + ": " + failure.get().message());
        }
        return served.standingFailure()
                .map(f -> new Report("degraded", store.describe(), "the last attempt to " + f.operation() + " failed at " + f.at() + ": " + f.message()))
                .orElseGet(() -> new Report("ok", store.describe(), null));
    }
}
