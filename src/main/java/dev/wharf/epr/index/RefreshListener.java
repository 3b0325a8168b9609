package dev.wharf.epr.index;

/** Told when an indexer that re-reads its source finished a pass: EPR's {@code epr_storage_indexer_update_index_*} metrics. */
@FunctionalInterface
public interface RefreshListener {
    RefreshListener NONE = (succeeded, nanos, packages) -> { };

    void refreshed(boolean succeeded, long nanos, int packages);
}
