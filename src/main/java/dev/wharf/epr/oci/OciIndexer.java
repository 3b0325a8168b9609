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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
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
    private final IndexedPackages indexed;
    private final RepositoryScan scan;
    private final IndexFile indexFile;
    private final IndexPersistence persistence;
    private final String checks;
    private final Object refreshLock = new Object();
    // What the last successful refresh (or the persisted index) knew; read and replaced under refreshLock.
    private Map<String, CachedPackage> knownPackages = Map.of();
    private Map<String, RejectedTag> knownRejections = Map.of();
    private Optional<Instant> verifiedAt = Optional.empty();
    private List<CachedPackage> published = List.of();
    private volatile List<IndexedPackage> packages = List.of();
    private volatile IndexHealth health;
    private volatile IndexReport report = IndexReport.NONE;
    private @Nullable RefreshSchedule schedule;
    private final RefreshListener listener;

    public OciIndexer(ArtifactStore store, OciIndexerSettings settings) {
        this(store, settings, RefreshListener.NONE);
    }

    /** With {@code listener} told of every refresh's outcome (metrics). */
    public OciIndexer(ArtifactStore store, OciIndexerSettings settings, RefreshListener listener) {
        this.listener = listener;
        this.store = store;
        this.settings = settings;
        this.blobs = new PackageBlobCache(store, settings.repository(), settings.cacheDir(), settings.maxPackageBytes());
        // Taken before the store's first request: a remote store's description gains the scheme it
        // settled on once it has connected ("127.0.0.1:5000" becomes "http://127.0.0.1:5000"), and the
        // next run must recognise its index while the registry is still unreachable.
        this.indexFile = new IndexFile(settings.cacheDir(), source());
        this.persistence = new IndexPersistence(indexFile, blobs, refreshLock);
        this.indexed = new IndexedPackages(blobs);
        this.scan = new RepositoryScan(store, indexFile.source(), blobs, new PackageReader(settings.validate(), LOG::warn, settings.archiveLimits()),
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
                persisted.ifPresent(this::adopt);
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

    /** Takes over what an earlier run knew; the caller holds {@code refreshLock}. */
    private void adopt(PersistedIndex p) {
        if (p.format() == PersistedIndex.FORMAT && checks.equals(p.checks())) {
            knownPackages = byTag(p.packagesOrEmpty(), CachedPackage::tag);
            knownRejections = byTag(p.rejectedOrEmpty(), RejectedTag::tag);
            verifiedAt = p.verifiedAtInstant();
        } else if (p.format() < PersistedIndex.FORMAT) {
            // Packages are still reused by manifest digest, as that format was; the tags are verified at once.
            knownPackages = byTag(p.packagesOrEmpty(), CachedPackage::tag);
            LOG.info("the index persisted in {} has format {}: every tag is verified once", settings.cacheDir(), p.format());
        } else {
            // The zips on disk are read again without a download; what they were judged by has changed.
            LOG.info("the index persisted in {} was checked with {}, now {}: every tag is checked again", settings.cacheDir(),
                    p.checks(), checks);
        }
    }

    private static <T> Map<String, T> byTag(List<T> entries, Function<T, String> tag) {
        Map<String, T> map = new HashMap<>();
        entries.forEach(e -> map.put(tag.apply(e), e));
        return map;
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
        boolean verify = verificationDue(now);
        RepositoryScan.Result result = scan.scan(knownPackages, knownRejections, verify);
        List<CachedPackage> found = result.packages();
        knownPackages = result.accepted();
        knownRejections = result.rejected();
        if (verify) {
            verifiedAt = Optional.of(now);
        }
        if (!sameEntries(found, published)) {
            // Kept otherwise: the answers cached per published list (IndexAnswers) stay valid.
            packages = indexed.of(found);
        }
        published = found;
        report = new IndexReport(verifiedAt, result.leftOut());
        health = IndexHealth.healthy(now, packages.size(), source());
        PersistedIndex index = new PersistedIndex(PersistedIndex.FORMAT, indexFile.source(), checks, now.toString(),
                verifiedAt.map(Instant::toString).orElse(null), found,
                result.rejected().values().stream().sorted(Comparator.comparing(RejectedTag::tag)).toList());
        if (first) {
            persistence.later(index, found);
        } else {
            persistence.now(index, found);
        }
        LOG.info("{} packages indexed from {} ({} of {} tags resolved{})", packages.size(), source(), result.resolved(),
                result.tags(), verify ? ", full verification" : "");
    }

    /** Whether this pass resolves every tag: never verified, interval passed, or a clock that went back. */
    private boolean verificationDue(Instant now) {
        if (settings.verifyInterval().isZero() || settings.verifyInterval().isNegative() || verifiedAt.isEmpty()) {
            return true;
        }
        Instant last = verifiedAt.get();
        return last.isAfter(now) || !now.isBefore(last.plus(settings.verifyInterval()));
    }

    private static boolean sameEntries(List<CachedPackage> a, List<CachedPackage> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).tag().equals(b.get(i).tag()) || !a.get(i).manifestDigest().equals(b.get(i).manifestDigest())) {
                return false;
            }
        }
        return true;
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
        return health;
    }

    /** Waits, as {@link #close} does, until the first index is persisted: for tests that touch the cache right after {@link #start}. */
    void awaitPersisted() throws InterruptedException {
        persistence.awaitDeferred();
    }

    @Override
    public void close() {
        if (schedule != null) {
            schedule.close();
        }
        persistence.close();
    }
}
