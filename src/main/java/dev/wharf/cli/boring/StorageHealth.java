package dev.wharf.cli.boring;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.StorageException;
import org.jspecify.annotations.Nullable;

/**
 * What {@code /health} on the telemetry address says: whether storage answers with the configured
 * credentials. It lists the base repository's tags on the uncached store, the cheapest call that
 * needs both a reachable registry and accepted credentials; a missing repository counts as healthy.
 */
final class StorageHealth {
    private final ArtifactStore store;
    private final String probeRepository;

    StorageHealth(ArtifactStore store, String probeRepository) {
        this.store = store;
        this.probeRepository = probeRepository;
    }

    /** The answer of {@code /health}; {@code reason} is the storage error, which never holds credentials. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Report(String status, String storage, @Nullable String reason) {
        boolean healthy() {
            return "ok".equals(status);
        }
    }

    Report check() {
        try {
            store.listTags(probeRepository);
            return new Report("ok", store.describe(), null);
        } catch (StorageException e) {
            return new Report("unhealthy", store.describe(), e.kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + e.getMessage());
        }
    }
}
