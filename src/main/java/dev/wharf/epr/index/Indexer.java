package dev.wharf.epr.index;

import java.util.List;

/**
 * A source of packages: folders and zips on disk, or an OCI repository. The HTTP API and the search
 * see packages only through this interface.
 */
public interface Indexer extends AutoCloseable {

    /** Builds the first index. Throws {@link IndexerException} when there is nothing at all to serve. */
    void start() throws IndexerException;

    /** Every version of every package, in no particular order. An immutable snapshot. */
    List<IndexedPackage> packages();

    IndexHealth health();

    @Override
    default void close() {
    }
}
