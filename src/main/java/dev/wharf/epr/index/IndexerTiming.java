package dev.wharf.epr.index;

/** Told how long each look-up in the index took (EPR's {@code epr_indexer_get_duration_seconds}). */
@FunctionalInterface
public interface IndexerTiming {
    IndexerTiming NONE = nanos -> { };

    void got(long nanos);
}
