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

    /** What the last refresh left out and the time of the last full read; {@link IndexReport#NONE} when the source does not say. */
    default IndexReport report() {
        return IndexReport.NONE;
    }

    /**
     * What kind of source this is ({@code oci}, {@code filesystem}), for answers to anonymous
     * clients, which must not learn the source's address ({@link IndexHealth#source()}).
     */
    /** The indexer's name in metrics ({@code indexer} label): its class, as EPR labels its own. */
    default String name() {
        return getClass().getSimpleName();
    }

    default String kind() {
        return "packages";
    }

    @Override
    default void close() {
    }
}
