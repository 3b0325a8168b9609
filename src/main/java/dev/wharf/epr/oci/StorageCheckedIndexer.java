package dev.wharf.epr.oci;

import dev.wharf.epr.index.IndexHealth;
import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.index.Indexer;
import dev.wharf.epr.index.IndexerException;
import dev.wharf.oci.FailureWatchingStore;
import dev.wharf.oci.StoreProbe;
import java.util.List;
import java.util.Optional;

/**
 * An OCI indexer whose health also asks the store itself, live and with a short deadline. The
 * index's own health changes only when a refresh ends, and a refresh against a registry that never
 * answers ends only when its requests give up; without the live probe {@code /health} would say
 * "healthy" all that time. A failed probe turns a healthy index into "degraded" (packages are still
 * served from the index) and is named in {@code error}; so does a standing failure of a request the
 * indexer made (a zip that arrived corrupt, a malformed manifest) until that kind of request works again.
 */
public final class StorageCheckedIndexer implements Indexer {
    private final Indexer delegate;
    private final StoreProbe probe;
    private final FailureWatchingStore served;

    /** {@code served} is the store {@code delegate} reads through; {@code probe} asks the store beneath it. */
    public StorageCheckedIndexer(Indexer delegate, StoreProbe probe, FailureWatchingStore served) {
        this.delegate = delegate;
        this.probe = probe;
        this.served = served;
    }

    /** The wrapped indexer's kind and name: this only adds the storage checks to its health. */
    @Override
    public dev.wharf.epr.index.IndexReport report() {
        return delegate.report();
    }

    @Override
    public String kind() {
        return delegate.kind();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public void start() throws IndexerException {
        delegate.start();
    }

    @Override
    public List<IndexedPackage> packages() {
        return delegate.packages();
    }

    @Override
    public IndexHealth health() {
        IndexHealth index = delegate.health();
        Optional<String> failure = probe.check().map(StoreProbe.Failure::message)
                .or(() -> served.standingFailure().map(f -> "the last attempt to " + f.operation() + " failed at " + f.at() + ": " + f.message()));
        if (failure.isEmpty()) {
            return index;
        }
        String storage = "storage: " + failure.get();
        IndexHealth.State state = index.state() == IndexHealth.State.HEALTHY ? IndexHealth.State.DEGRADED : index.state();
        String error = index.error().map(e -> e + "; " + storage).orElse(storage);
        return new IndexHealth(state, index.indexedAt(), Optional.of(error), index.packages(), index.source());
    }

    @Override
    public void close() {
        delegate.close();
    }
}
