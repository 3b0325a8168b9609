package dev.wharf.epr.oci;

/** For tests outside this package that read or change the cache directory right after {@link OciIndexer#start}. */
public final class PersistedFirstIndex {
    private PersistedFirstIndex() {
    }

    /**
     * Returns {@code indexer} once its first index is written and the cache pruned, and once the blobs
     * of the packages it listed from their configs are fetched.
     */
    public static OciIndexer await(OciIndexer indexer) throws InterruptedException {
        indexer.awaitPersisted();
        return indexer;
    }
}
