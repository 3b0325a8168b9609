package dev.wharf.cli.epr;

import dev.wharf.epr.api.EprMetrics;
import dev.wharf.epr.api.FillMetrics;
import dev.wharf.epr.fs.FileSystemIndexer;
import dev.wharf.epr.fs.PackagePathsOptions;
import dev.wharf.epr.index.Indexer;
import dev.wharf.epr.oci.CacheLockedIndexer;
import dev.wharf.epr.oci.OciIndexer;
import dev.wharf.epr.oci.OciIndexerSettings;
import dev.wharf.epr.oci.StorageCheckedIndexer;
import dev.wharf.epr.publish.PackagePublisher;
import dev.wharf.epr.publish.PackageUploadApi;
import dev.wharf.epr.publish.PublisherKey;
import dev.wharf.http.RegistryCallMetrics;
import dev.wharf.http.access.PublishAudit;
import dev.wharf.http.access.TokensFile;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.FailureWatchingStore;
import dev.wharf.oci.StoreProbe;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * Where the served packages come from: the package folders, or an OCI repository together with
 * what writes into it (pull-through copies and, with tokens, uploads). Closing it closes the indexer,
 * then the store.
 */
record PackageSource(Indexer indexer, Optional<ArtifactStore> store, Optional<ProxyModeOptions.PullThroughTarget> pullThroughTarget,
                     Optional<PackageUploadApi> upload) implements AutoCloseable {

    /** The OCI repository with {@code -feature-oci-indexer}, else the configured package folders. */
    static PackageSource open(ServeCommand flags, ServeSettings settings, EprTelemetry telemetry, Logger log) throws IOException {
        if (!flags.ociIndexer) {
            log.info("Packages paths: {}", settings.config().packagePaths());
            PackagePathsOptions paths = PackagePathsOptions.defaults().withWatcher(flags.watchPackagePaths && !flags.dryRun);
            return new PackageSource(new FileSystemIndexer(settings.config().packagePaths(), !flags.disableValidation, flags.requireSignatures,
                    flags.packageLimits.limits(), Clock.systemUTC(), flags.packagePathsWorkers == null ? paths : paths.withWorkers(flags.packagePathsWorkers)),
                    Optional.empty(), Optional.empty(), Optional.empty());
        }
        ArtifactStore store = flags.oci.open(new RegistryCallMetrics(telemetry.registry()));
        if (flags.oci.insecure) {
            log.warn("-oci-insecure: the registry's certificate is not checked and plain HTTP is allowed; for a private CA use -oci-ca-file instead");
        }
        log.info("Technical preview: OCI indexer on {}/{}", store.describe(), flags.oci.repository);
        OciIndexerSettings indexing = OciIndexerSettings.of(flags.oci.repository, flags.ociCacheDir)
                .withValidation(!flags.disableValidation)
                .withRequiredSignatures(flags.requireSignatures)
                .withMaxPackageBytes(flags.maxPackageSize)
                .withRefreshInterval(settings.refreshInterval())
                .withVerifyInterval(settings.verifyInterval())
                .withArchiveLimits(flags.packageLimits.limits());
        return oci(store, indexing, RegistryConfig.parseDuration(flags.ociHealthTimeout), settings.tokens(), settings.publisherKey(),
                telemetry.epr(), telemetry.registry());
    }

    /**
     * {@code healthTimeout} bounds the live probe behind /health; {@code tokens}, when present, enable uploads, which
     * {@code publisherKey} then checks. Pull-through copies are not: they carry the upstream's signatures, checked by -verification-key.
     */
    private static PackageSource oci(ArtifactStore store, OciIndexerSettings settings, Duration healthTimeout, Optional<TokensFile> tokens,
                                     Optional<PublisherKey> publisherKey, EprMetrics eprMetrics, MeterRegistry metrics) {
        // The indexer reads through a watcher, so /health can report faults the live probe cannot see.
        FailureWatchingStore watched = new FailureWatchingStore(store, Clock.systemUTC());
        OciIndexer ociIndex = new OciIndexer(watched, settings, eprMetrics, new FillMetrics(metrics));
        var pullThrough = new ProxyModeOptions.PullThroughTarget(publisher(store, settings, Optional.empty()), settings.maxPackageBytes(),
                settings.cacheDir().resolve("pull-through"), ociIndex::refresh);
        Optional<PackageUploadApi> upload = tokens.map(t -> new PackageUploadApi(t, publisher(store, settings, publisherKey), ociIndex::refresh,
                new PublishAudit(metrics), settings.maxPackageBytes()));
        Indexer indexer = new CacheLockedIndexer(new StorageCheckedIndexer(ociIndex,
                new StoreProbe(store, settings.repository(), healthTimeout), watched), settings.cacheDir());
        return new PackageSource(indexer, Optional.of(store), Optional.of(pullThrough), upload);
    }

    /** Requires a signature when the index does ({@code -require-package-signatures}): it would leave an unsigned package out. */
    private static PackagePublisher publisher(ArtifactStore store, OciIndexerSettings settings, Optional<PublisherKey> key) {
        return new PackagePublisher(store, settings.repository(), settings.maxPackageBytes(), settings.validate(), settings.archiveLimits(), key,
                settings.requireSignatures());
    }

    @Override
    public void close() {
        indexer.close();
        store.ifPresent(ArtifactStore::close);
    }
}
