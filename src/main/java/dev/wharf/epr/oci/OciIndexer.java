package dev.wharf.epr.oci;

import dev.wharf.epr.index.IndexHealth;
import dev.wharf.epr.index.IndexReport;
import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.index.RefreshListener;
import dev.wharf.epr.index.Indexer;
import dev.wharf.epr.index.IndexerException;
import dev.wharf.epr.pkg.PackageReader;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.StorageException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Packages from an OCI repository, one tag {@code {name}-{version}} per package version. A new tag
 * is resolved; its zip (and signature, if any) is streamed to the cache directory and read by the
 * same {@link PackageReader} as every other package. A tag that is not a valid package is left out
 * with a warning naming it and why. Keeping the signature on disk beside the zip lets an index
 * served through an outage still answer the {@code .zip.sig} that Fleet verifies.
 *
 * <p>Package versions are immutable by convention ({@code package-registry push} refuses to
 * overwrite), so a refresh lists the tags and resolves only those it does not know: a tag it knows
 * (accepted or left out) costs no request, a tag gone from the list is dropped at once. Every
 * {@code verifyInterval} a full verification resolves every tag again, which catches a tag
 * re-pointed or re-pushed by another tool; a manifest digest seen before is not downloaded again.
 *
 * <p>After each successful refresh the index, what is known of every tag and the time of the last
 * full verification are written to {@code index.json} in the cache directory, so a restart costs
 * requests in proportion to what changed. When the registry cannot be reached at start, that index
 * is served (health "degraded"); when a later refresh fails, the current index stays.
 *
 * <p>The parts: {@link RepositoryScan} reads the repository, {@link PackageBlobCache} owns the files,
 * {@link IndexedPackages} makes what is served, {@link IndexFile} and {@link IndexPersistence} persist,
 * {@link RefreshSchedule} repeats; this class keeps what is known and what is served.
 */
public final class OciIndexer implements Indexer {
    private static final Logger LOG = LoggerFactory.getLogger(OciIndexer.class);

    private final ArtifactStore store;
    private final OciIndexerSettings settings;
    private final PackageBlobCache blobs;
    private final CacheFill fill;
    /** Why the blobs of packages listed from their configs are not all fetched, until a fill round gets them. */
    private final FillHealth fillHealth;
    private final IndexedPackages indexed;
    private final RepositoryScan scan;
    private final IndexFile indexFile;
    private final IndexPersistence persistence;
    private final String checks;
    private final Object refreshLock = new Object();
    // What the last successful refresh (or the persisted index) knew; read and replaced under refreshLock.
    private KnownTags known = KnownTags.NONE;
    private List<CachedPackage> published = List.of();
    private volatile List<IndexedPackage> packages = List.of();
    private volatile IndexHealth health;
    private volatile IndexReport report = IndexReport.NONE;
    private @Nullable RefreshSchedule schedule;
    private final RefreshListener listener;

    public OciIndexer(ArtifactStore store, OciIndexerSettings settings) {
        this(store, settings, RefreshListener.NONE, FillListener.NONE);
    }

    /** With {@code listener} told of every refresh's outcome, and {@code fillListener} of the fill's failures (metrics). */
    public OciIndexer(ArtifactStore store, OciIndexerSettings settings, RefreshListener listener, FillListener fillListener) {
        this.listener = listener;
        this.store = store;
        this.settings = settings;
        // The push warned of what the reader finds odd in a package; checking its zip against the config need not again.
        ConfigAgreement agreement = new ConfigAgreement(new PackageReader(settings.validate(), LOG::debug, settings.archiveLimits()));
        this.blobs = new PackageBlobCache(store, settings.repository(), settings.cacheDir(), settings.maxPackageBytes(), agreement,
                this::refused);
        this.fillHealth = new FillHealth(this::source, fillListener);
        BlobBackoff backoff = new BlobBackoff(settings.clock(), fillListener);
        BackedOffBlobs fetched = new BackedOffBlobs(blobs, backoff, fillHealth);
        this.fill = new CacheFill(fetched, backoff, fillHealth, settings.fillTimer());
        // Taken before the store's first request: a remote store's description gains the scheme it
        // settled on once it has connected ("127.0.0.1:5000" becomes "http://127.0.0.1:5000"), and the
        // next run must recognise its index while the registry is still unreachable.
        this.indexFile = new IndexFile(settings.cacheDir(), source());
        this.persistence = new IndexPersistence(indexFile, blobs, refreshLock);
        this.indexed = new IndexedPackages(fetched);
        this.scan = new RepositoryScan(store, indexFile.source(), fetched, fillHealth, new PackageReader(settings.validate(), LOG::warn, settings.archiveLimits()),
                settings, indexed::prepare);
        this.checks = settings.checks();
        this.health = new IndexHealth(IndexHealth.State.UNAVAILABLE, Optional.empty(), Optional.of("not indexed yet"), 0, source());
    }

    private String source() {
        return store.describe() + "/" + settings.repository();
    }

    @Override
    public void start() throws IndexerException {
        try {
            blobs.createDirectories();
        } catch (IOException e) {
            throw new IndexerException("cannot create the cache directory " + settings.cacheDir() + ": " + e.getMessage(), e);
        }
        Optional<PersistedIndex> persisted = indexFile.read();
        try {
            synchronized (refreshLock) {
                persisted.ifPresent(p -> known = KnownTags.adopted(p, checks, settings.cacheDir()));
                reindex(true);
            }
        } catch (StorageException e) {
            // Reported here once (the caller prints a start failure), not also as a failed refresh.
            if (persisted.isEmpty()) {
                throw new IndexerException("cannot index " + source() + " and no index is persisted in " + settings.cacheDir() + ": "
                        + e.getMessage(), e);
            }
            PersistedIndex p = persisted.get();
            published = p.packagesOrEmpty();
            packages = indexed.of(published);
            report = new IndexReport(p.verifiedAtInstant(),
                    p.rejectedOrEmpty().stream().map(r -> new IndexReport.LeftOut(r.tag(), r.reason())).toList());
            health = new IndexHealth(IndexHealth.State.DEGRADED, Optional.of(p.indexedAtInstant()),
                    Optional.of(e.getMessage()), packages.size(), source());
            LOG.warn("cannot read {} ({}); serving the index persisted at {} ({} packages)", source(), e.getMessage(),
                    p.indexedAt(), packages.size());
        }
        schedule = RefreshSchedule.every(settings.refreshInterval(), this::refreshQuietly);
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (StorageException e) {
            // Logged and recorded in /health by refresh(); the schedule goes on.
        } catch (CancellationException e) {
            // The indexer is closing.
        } catch (RuntimeException e) {
            // A fault of Wharf's own: recorded in /health by refresh(), logged with its trace here.
            LOG.error("refreshing the index from {} failed unexpectedly, keeping the current one", source(), e);
        }
    }

    /**
     * Reads the repository again. Throws {@link StorageException} when the registry fails as a
     * whole; the current index then stays and {@code /health} reports the failure.
     */
    public void refresh() {
        synchronized (refreshLock) {
            long begun = System.nanoTime();
            try {
                reindex(false);
                listener.refreshed(true, System.nanoTime() - begun, packages.size());
            } catch (RuntimeException e) {
                listener.refreshed(false, System.nanoTime() - begun, packages.size());
                String error = e instanceof StorageException ? String.valueOf(e.getMessage()) : e.toString();
                IndexHealth previous = health;
                health = new IndexHealth(previous.indexedAt().isPresent() ? IndexHealth.State.DEGRADED : IndexHealth.State.UNAVAILABLE,
                        previous.indexedAt(), Optional.of(error), packages.size(), source());
                if (e instanceof StorageException) {
                    LOG.warn("refreshing the index from {} failed, keeping the current one ({} packages): {}", source(),
                            packages.size(), error);
                }
                throw e;
            }
        }
    }

    /**
     * One pass over the repository; the caller holds {@code refreshLock}. Nothing is replaced unless
     * the whole pass works: an outage leaves the current index and what is known of every tag. The
     * index is served before it is persisted; {@code first}: persisted behind, so the process is
     * ready sooner ({@link IndexPersistence}).
     */
    private void reindex(boolean first) {
        Instant now = settings.clock().instant();
        boolean verify = known.verificationDue(now, settings.verifyInterval());
        RepositoryScan.Result result = scan.scan(known.packages(), known.rejections(), verify);
        List<CachedPackage> found = result.packages();
        known = known.after(result, verify, now);
        if (!CachedPackage.sameEntries(found, published)) {
            // Kept otherwise: the answers cached per published list (IndexAnswers) stay valid.
            packages = indexed.of(found);
        }
        published = found;
        report = new IndexReport(known.verifiedAt(), result.leftOut());
        health = IndexHealth.healthy(now, packages.size(), source());
        PersistedIndex index = persisted(now);
        if (first) {
            persistence.later(index, found);
        } else {
            persistence.now(index, found);
        }
        fill.fill(found);
        LOG.info("{} packages indexed from {} ({} of {} tags resolved{})", packages.size(), source(), result.resolved(),
                result.tags(), verify ? ", full verification" : "");
    }

    /** A package whose download was refused: left out, on the fill's thread (never a request's). */
    private void refused(CachedPackage entry, String reason, boolean tooLarge) {
        fill.onFillThread(() -> leaveOut(entry, reason, tooLarge));
    }

    /**
     * Takes a package out of the index as a refresh would have, had it read the zip: remembered as left
     * out with the reason until its tag points elsewhere. Counted once, by why: a blob past
     * {@code -max-package-size} whichever way the package was indexed, else a zip that failed its config.
     */
    private void leaveOut(CachedPackage entry, String reason, boolean tooLarge) {
        synchronized (refreshLock) {
            if (!known.holds(entry)) {
                return;
            }
            LOG.warn("tag {} of {} left out: {}", RepositoryScan.at(entry.tag(), entry.manifestDigest()), source(), reason);
            if (tooLarge) {
                fillHealth.refused(FillListener.Failure.BLOB_TOO_LARGE);
            } else if (entry.fromConfig()) {
                fillHealth.refused(FillListener.Failure.ZIP_DISAGREES_WITH_CONFIG);
            }
            known = known.leavingOut(entry, reason);
            published = published.stream().filter(p -> !p.equals(entry)).toList();
            packages = indexed.of(published);
            List<IndexReport.LeftOut> leftOut = new ArrayList<>(report.leftOut());
            leftOut.add(new IndexReport.LeftOut(entry.tag(), reason));
            report = new IndexReport(report.verifiedAt(), leftOut);
            IndexHealth h = health;
            health = new IndexHealth(h.state(), h.indexedAt(), h.error(), packages.size(), h.source());
            persistence.now(persisted(health.indexedAt().orElseGet(() -> settings.clock().instant())), published);
        }
    }

    /** What is known now, as {@code index.json} keeps it; the caller holds {@code refreshLock}. */
    private PersistedIndex persisted(Instant indexedAt) {
        return new PersistedIndex(PersistedIndex.FORMAT, indexFile.source(), checks, indexedAt.toString(),
                known.verifiedAt().map(Instant::toString).orElse(null), published, known.sortedRejections());
    }

    @Override
    public List<IndexedPackage> packages() {
        return packages;
    }

    @Override
    public String kind() {
        return "oci";
    }

    @Override
    public IndexReport report() {
        return report;
    }

    @Override
    public IndexHealth health() {
        IndexHealth h = health;
        Optional<String> blobs = fillHealth.error();
        if (blobs.isPresent() && h.state() == IndexHealth.State.HEALTHY) {
            // Listed, but not yet servable: the registry fails for the blobs, or has broken ones, even though it lists the tags.
            return new IndexHealth(IndexHealth.State.DEGRADED, h.indexedAt(), blobs, h.packages(), h.source());
        }
        return h;
    }

    /**
     * Waits, as {@link #close} does, until the first index is persisted, and until the blobs asked of
     * the fill by then are fetched: for tests that touch the cache right after {@link #start}.
     */
    void awaitPersisted() throws InterruptedException {
        persistence.awaitDeferred();
        fill.await();
    }

    @Override
    public void close() {
        if (schedule != null) {
            schedule.close();
        }
        fill.close();
        persistence.close();
    }
}
