package dev.wharf.cli.epr;

import dev.wharf.epr.api.EprMetrics;
import dev.wharf.epr.fs.FileSystemIndexer;
import dev.wharf.epr.index.Indexer;
import dev.wharf.epr.oci.CacheLockedIndexer;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.epr.oci.OciIndexerSettings;
import dev.wharf.epr.oci.StorageCheckedIndexer;
import dev.wharf.epr.publish.PackagePublisher;
import dev.wharf.epr.publish.PackageUploadApi;
import dev.wharf.http.access.PublishAudit;
import dev.wharf.http.access.TokensFile;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.FailureWatchingStore;
import dev.wharf.oci.StoreProbe;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the served packages come from: the package folders, or an OCI repository together with
 * what writes into it (pull-through copies and, with tokens, uploads). Closing it closes the indexer,
 * then the store.
 */
record PackageSource(Indexer indexer, Optional<ArtifactStore> store, Optional<ProxyModeOptions.PullThroughTarget> pullThroughTarget,
                     Optional<PackageUploadApi> upload) implements AutoCloseable {

    static PackageSource folders(FileSystemIndexer indexer) {
        return new PackageSource(indexer, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** {@code healthTimeout} bounds the live probe behind /health; {@code tokens}, when present, enable uploads. */
    static PackageSource oci(ArtifactStore store, OciIndexerSettings settings, Duration healthTimeout, Optional<TokensFile> tokens,
                             EprMetrics eprMetrics, MeterRegistry metrics) {
        // The indexer reads through a watcher, so /health can report faults the live probe cannot see.
        FailureWatchingStore watched = new FailureWatchingStore(store, Clock.systemUTC());
        OciIndexer ociIndex = new OciIndexer(watched, settings, eprMetrics);
        var pullThrough = new ProxyModeOptions.PullThroughTarget(publisher(store, settings), settings.maxPackageBytes(),
                settings.cacheDir().resolve("pull-through"), ociIndex::refresh);
        Optional<PackageUploadApi> upload = tokens.map(t -> new PackageUploadApi(t, publisher(store, settings), ociIndex::refresh,
                new PublishAudit(metrics), settings.maxPackageBytes()));
        Indexer indexer = new CacheLockedIndexer(new StorageCheckedIndexer(ociIndex,
                new StoreProbe(store, settings.repository(), healthTimeout), watched), settings.cacheDir());
        return new PackageSource(indexer, Optional.of(store), Optional.of(pullThrough), upload);
    }

    private static PackagePublisher publisher(ArtifactStore store, OciIndexerSettings settings) {
        return new PackagePublisher(store, settings.repository(), settings.maxPackageBytes(), settings.validate(), settings.archiveLimits());
    }

    @Override
    public void close() {
        indexer.close();
        store.ifPresent(ArtifactStore::close);
    }
}
