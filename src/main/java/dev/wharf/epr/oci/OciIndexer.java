package dev.wharf.epr.oci;

import dev.wharf.epr.index.Deprecations;
import dev.wharf.epr.index.IndexHealth;
import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.index.RefreshListener;
import dev.wharf.epr.index.Indexer;
import dev.wharf.epr.index.IndexerException;
import dev.wharf.epr.index.Resource;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.pkg.InvalidPackageException;
import dev.wharf.epr.pkg.PackageReader;
import dev.wharf.epr.pkg.ZipContent;
import dev.wharf.epr.pkg.ZipPackageFiles;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * New tags are resolved by a small pool of threads, the results kept in tag order.
 *
 * <p>After each successful refresh the index, what is known of every tag and the time of the last
 * full verification are written to {@code index.json} in the cache directory, so a restart costs
 * requests in proportion to what changed. When the registry cannot be reached at start, that index
 * is served (health "degraded"); when a later refresh fails, the current index stays.
 */
public final class OciIndexer implements Indexer {
    private static final Logger LOG = LoggerFactory.getLogger(OciIndexer.class);
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    /** Enough to hide the round trip of a remote registry, few enough not to look like an attack on it. */
    private static final int RESOLVE_THREADS = 8;
    private static final String MISNAMED = "not {name}-{version}";

    private final ArtifactStore store;
    private final String repository;
    private final Path cacheDir;
    private final PackageReader reader;
    private final boolean requireSignatures;
    private final long maxPackageBytes;
    private final Clock clock;
    private final Duration refreshInterval;
    private final Duration verifyInterval;
    private final String persistedSource;
    private final String checks;
    private final Object refreshLock = new Object();
    // What the last successful refresh (or the persisted index) knew; read and replaced under refreshLock.
    private Map<String, CachedPackage> knownPackages = Map.of();
    private Map<String, RejectedTag> knownRejections = Map.of();
    private Optional<Instant> verifiedAt = Optional.empty();
    private List<CachedPackage> published = List.of();
    private volatile List<IndexedPackage> packages = List.of();
    private volatile IndexHealth health;
    private ScheduledExecutorService scheduler;
    private final RefreshListener listener;

    /** Verifies every tag on every refresh, as before tags were trusted between verifications. */
    public OciIndexer(ArtifactStore store, String repository, Path cacheDir, boolean validate, boolean requireSignatures,
            long maxPackageBytes, Duration refreshInterval, Clock clock) {
        this(store, repository, cacheDir, validate, requireSignatures, maxPackageBytes, refreshInterval, Duration.ZERO, clock);
    }

    /**
     * {@code verifyInterval}: how long known tags are trusted before every tag's manifest is resolved
     * again; zero (or negative) verifies on every refresh.
     */
    public OciIndexer(ArtifactStore store, String repository, Path cacheDir, boolean validate, boolean requireSignatures,
            long maxPackageBytes, Duration refreshInterval, Duration verifyInterval, Clock clock) {
        this(store, repository, cacheDir, validate, requireSignatures, maxPackageBytes, refreshInterval, verifyInterval, clock,
                RefreshListener.NONE);
    }

    /** With {@code listener} told of every refresh's outcome (metrics). */
    public OciIndexer(ArtifactStore store, String repository, Path cacheDir, boolean validate, boolean requireSignatures,
            long maxPackageBytes, Duration refreshInterval, Duration verifyInterval, Clock clock, RefreshListener listener) {
        this.listener = listener;
        this.store = store;
        this.repository = repository;
        this.cacheDir = cacheDir;
        this.reader = new PackageReader(validate, LOG::warn);
        this.requireSignatures = requireSignatures;
        this.maxPackageBytes = maxPackageBytes;
        this.refreshInterval = refreshInterval;
        this.verifyInterval = verifyInterval;
        this.clock = clock;
        // Taken before the store's first request: a remote store's description gains the scheme it
        // settled on once it has connected ("127.0.0.1:5000" becomes "http://127.0.0.1:5000"), and the
        // next run must recognise its index while the registry is still unreachable.
        this.persistedSource = source();
        // What was accepted or refused depends on these; an index persisted under others is re-checked.
        this.checks = "validate=" + validate + " require_signatures=" + requireSignatures + " max_package_bytes=" + maxPackageBytes;
        this.health = new IndexHealth(IndexHealth.State.UNAVAILABLE, Optional.empty(), Optional.of("not indexed yet"), 0, source());
    }

    private String source() {
        return store.describe() + "/" + repository;
    }

    @Override
    public void start() throws IndexerException {
        try {
            Files.createDirectories(blobDir());
        } catch (IOException e) {
            throw new IndexerException("cannot create the cache directory " + cacheDir + ": " + e.getMessage(), e);
        }
        Optional<PersistedIndex> persisted = readPersisted();
        try {
            synchronized (refreshLock) {
                persisted.ifPresent(this::adopt);
                reindex();
            }
        } catch (StorageException e) {
            // Reported here once (the caller prints a start failure), not also as a failed refresh.
            if (persisted.isEmpty()) {
                throw new IndexerException("cannot index " + source() + " and no index is persisted in " + cacheDir + ": "
                        + e.getMessage(), e);
            }
            PersistedIndex p = persisted.get();
            published = p.packagesOrEmpty();
            packages = Deprecations.propagate(published.stream().map(this::toIndexed).toList());
            health = new IndexHealth(IndexHealth.State.DEGRADED, Optional.of(p.indexedAtInstant()),
                    Optional.of(e.getMessage()), packages.size(), source());
            LOG.warn("cannot read {} ({}); serving the index persisted at {} ({} packages)", source(), e.getMessage(),
                    p.indexedAt(), packages.size());
        }
        if (!refreshInterval.isZero() && !refreshInterval.isNegative()) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "epr-oci-refresh");
                t.setDaemon(true);
                return t;
            });
            long ms = refreshInterval.toMillis();
            scheduler.scheduleWithFixedDelay(this::refreshQuietly, ms, ms, TimeUnit.MILLISECONDS);
        }
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
            LOG.info("the index persisted in {} has format {}: every tag is verified once", cacheDir, p.format());
        } else {
            // The zips on disk are read again without a download; what they were judged by has changed.
            LOG.info("the index persisted in {} was checked with {}, now {}: every tag is checked again", cacheDir,
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
                reindex();
                listener.refreshed(true, System.nanoTime() - begun, packages.size());
            } catch (RuntimeException e) {
                listener.refreshed(false, System.nanoTime() - begun, packages.size());
                String error = e instanceof StorageException ? e.getMessage() : e.toString();
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

    /** What one tag came to in a pass. */
    private sealed interface Outcome {
        /** A package to serve. */
        record Accepted(CachedPackage entry) implements Outcome {
        }

        /** Left out and remembered; {@code report}: warn (new, or found again by a verification) rather than stay quiet. */
        record Rejected(RejectedTag rejection, boolean report) implements Outcome {
        }

        /** Left out for this pass only: the tag vanished meanwhile, or the registry failed for it alone. */
        record Skipped(String reason) implements Outcome {
        }
    }

    /**
     * One pass over the repository; the caller holds {@code refreshLock}. Nothing is replaced unless
     * the whole pass works: an outage leaves the current index and what is known of every tag.
     */
    private void reindex() {
        List<String> tags = new ArrayList<>(store.listTags(repository));
        tags.sort(null);
        Instant now = clock.instant();
        boolean verify = verificationDue(now);
        Outcome[] outcomes = new Outcome[tags.size()];
        Map<Integer, Callable<Outcome>> requests = new LinkedHashMap<>();
        for (int i = 0; i < tags.size(); i++) {
            String tag = tags.get(i);
            Optional<PackageTag> parsed = PackageTag.parse(tag);
            CachedPackage known = knownPackages.get(tag);
            RejectedTag rejected = knownRejections.get(tag);
            if (parsed.isEmpty()) {
                outcomes[i] = new Outcome.Rejected(new RejectedTag(tag, null, MISNAMED), verify || rejected == null);
            } else if (verify || (known == null && rejected == null)) {
                requests.put(i, () -> resolve(parsed.get(), known, rejected, verify));
            } else if (known == null) {
                outcomes[i] = new Outcome.Rejected(rejected, false);
            } else if (blobsPresent(known)) {
                outcomes[i] = new Outcome.Accepted(known);
            } else {
                requests.put(i, () -> reuse(known));
            }
        }
        run(requests, outcomes);

        Map<String, CachedPackage> accepted = new HashMap<>();
        Map<String, RejectedTag> rejections = new HashMap<>();
        List<CachedPackage> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < outcomes.length; i++) {
            String tag = tags.get(i);
            // Java 17: no pattern matching in switch yet.
            Outcome outcome = outcomes[i];
            if (outcome instanceof Outcome.Accepted a) {
                if (seen.add(a.entry().document().name + "-" + a.entry().document().version)) {
                    found.add(a.entry());
                    accepted.put(tag, a.entry());
                }
            } else if (outcome instanceof Outcome.Rejected r) {
                rejections.put(tag, r.rejection());
                if (r.report()) {
                    LOG.warn("tag {} of {} left out: {}", tag, source(), r.rejection().reason());
                } else {
                    LOG.debug("tag {} of {} left out, as before: {}", tag, source(), r.rejection().reason());
                }
            } else if (outcome instanceof Outcome.Skipped skipped) {
                LOG.warn("tag {} of {} left out: {}", tag, source(), skipped.reason());
            }
        }
        knownPackages = accepted;
        knownRejections = rejections;
        if (verify) {
            verifiedAt = Optional.of(now);
        }
        if (!sameEntries(found, published)) {
            // Kept otherwise: the answers cached per published list (IndexAnswers) stay valid.
            packages = Deprecations.propagate(found.stream().map(this::toIndexed).toList());
        }
        published = found;
        persist(new PersistedIndex(PersistedIndex.FORMAT, persistedSource, checks, now.toString(),
                verifiedAt.map(Instant::toString).orElse(null), found,
                rejections.values().stream().sorted(Comparator.comparing(RejectedTag::tag)).toList()));
        removeUnusedBlobs(found);
        health = IndexHealth.healthy(now, packages.size(), source());
        LOG.info("{} packages indexed from {} ({} of {} tags resolved{})", packages.size(), source(), requests.size(),
                tags.size(), verify ? ", full verification" : "");
    }

    /** Whether this pass resolves every tag: never verified, interval passed, or a clock that went back. */
    private boolean verificationDue(Instant now) {
        if (verifyInterval.isZero() || verifyInterval.isNegative() || verifiedAt.isEmpty()) {
            return true;
        }
        Instant last = verifiedAt.get();
        return last.isAfter(now) || !now.isBefore(last.plus(verifyInterval));
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

    /**
     * Runs the tasks that need the registry on a small pool and puts each outcome at its index. An
     * outage fails the pass, the first in tag order winning; the tasks still running are interrupted.
     */
    private void run(Map<Integer, Callable<Outcome>> requests, Outcome[] outcomes) {
        if (requests.isEmpty()) {
            return;
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(RESOLVE_THREADS, requests.size()), r -> {
            Thread t = new Thread(r, "epr-oci-resolve-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            Map<Integer, Future<Outcome>> futures = new LinkedHashMap<>();
            requests.forEach((i, task) -> futures.put(i, pool.submit(task)));
            for (Map.Entry<Integer, Future<Outcome>> f : futures.entrySet()) {
                outcomes[f.getKey()] = await(f.getValue());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Outcome await(Future<Outcome> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("refresh interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /**
     * Resolves a tag that is new, or that a verification checks again: a manifest digest the tag
     * already had reuses what is known of it (no download); another one is read as a new package.
     */
    private Outcome resolve(PackageTag tag, CachedPackage known, RejectedTag rejected, boolean verifying) {
        Optional<Manifest> resolved;
        try {
            resolved = store.resolve(repository, tag.tag());
        } catch (StorageException e) {
            if (e.isOutage()) {
                throw e;
            }
            return new Outcome.Skipped(e.getMessage());
        }
        if (resolved.isEmpty()) {
            return new Outcome.Skipped("it was removed while the repository was read");
        }
        Manifest manifest = resolved.get();
        String digest = manifest.digest().toString();
        if (known != null && known.manifestDigest().equals(digest)) {
            return reuse(known);
        }
        if (rejected != null && digest.equals(rejected.manifestDigest())) {
            // A reminder once per verification, not a download.
            return new Outcome.Rejected(rejected, verifying);
        }
        if (known != null) {
            LOG.warn("tag {} of {} now points at {} instead of {}: reading it again", tag.tag(), source(), digest,
                    known.manifestDigest());
        }
        try {
            return new Outcome.Accepted(read(tag, manifest));
        } catch (InvalidPackageException e) {
            return new Outcome.Rejected(new RejectedTag(tag.tag(), digest, e.getMessage()), true);
        } catch (StorageException e) {
            if (e.isOutage()) {
                throw e;
            }
            return new Outcome.Skipped(e.getMessage());
        }
    }

    /** A known package; blobs removed from the cache (or kept by an older Wharf) are fetched again while the registry answers. */
    private Outcome reuse(CachedPackage known) {
        try {
            zipFile(known);
            signatureFile(known);
            return new Outcome.Accepted(known);
        } catch (InvalidPackageException e) {
            return new Outcome.Rejected(new RejectedTag(known.tag(), known.manifestDigest(), e.getMessage()), true);
        } catch (StorageException e) {
            if (e.isOutage()) {
                throw e;
            }
            // Not remembered: the next refresh resolves the tag again.
            return new Outcome.Skipped(e.getMessage());
        }
    }

    private boolean blobsPresent(CachedPackage c) {
        return Files.isRegularFile(blobPath(c.zipDigest()))
                && (c.signatureDigest() == null || Files.isRegularFile(signaturePath(c.signatureDigest())));
    }

    /** Downloads and reads a manifest not seen under this tag before. */
    private CachedPackage read(PackageTag tag, Manifest manifest) throws InvalidPackageException {
        Descriptor zipLayer = OciPackageLayout.zipLayer(manifest, tag.tag())
                .orElseThrow(() -> new InvalidPackageException("the artifact has no package zip layer (layers: "
                        + manifest.layers().stream().map(Descriptor::mediaType).toList() + ")"));
        if (zipLayer.size() > maxPackageBytes) {
            throw new InvalidPackageException("the package zip is " + zipLayer.size() + " bytes, more than the limit of "
                    + maxPackageBytes);
        }
        Optional<Descriptor> sigLayer = OciPackageLayout.signatureLayer(manifest);
        if (requireSignatures && sigLayer.isEmpty()) {
            throw new InvalidPackageException("package is missing a required signature layer; use -require-package-signatures=false for unsigned packages");
        }
        Path zip = download(zipLayer, blobPath(zipLayer.digest().toString()), true);
        PackageDocument doc;
        try (ZipPackageFiles files = new ZipPackageFiles(zip)) {
            doc = reader.read(files, sigLayer.isPresent());
        } catch (IOException e) {
            throw new InvalidPackageException("cannot read the package zip: " + e.getMessage(), e);
        }
        if (!doc.name.equals(tag.name()) || !doc.version.equals(tag.version())) {
            throw new InvalidPackageException("manifest.yml says " + doc.name + "-" + doc.version
                    + ", which disagrees with the tag");
        }
        CachedPackage entry = new CachedPackage(tag.tag(), manifest.digest().toString(), zipLayer.digest().toString(),
                zipLayer.size(), sigLayer.map(d -> d.digest().toString()).orElse(null), sigLayer.map(Descriptor::size).orElse(0L), doc);
        signatureFile(entry);
        return entry;
    }

    private Path blobDir() {
        return cacheDir.resolve("blobs");
    }

    private Path signatureDir() {
        return cacheDir.resolve("signatures");
    }

    private Path blobPath(String digest) {
        Digest d = Digest.parse(digest);
        return blobDir().resolve(d.algorithm() + "-" + d.hex() + ".zip");
    }

    private Path signaturePath(String digest) {
        Digest d = Digest.parse(digest);
        return signatureDir().resolve(d.algorithm() + "-" + d.hex() + ".sig");
    }

    /** The package's zip in the cache, downloaded first when it is not there. */
    private Path zipFile(CachedPackage c) throws InvalidPackageException {
        return download(new Descriptor(OciPackageLayout.ZIP_MEDIA_TYPE, Digest.parse(c.zipDigest()), c.zipSize(), Map.of()),
                blobPath(c.zipDigest()), true);
    }

    /** The package's signature in the cache, downloaded first when it is not there; empty for an unsigned package. */
    private Optional<Path> signatureFile(CachedPackage c) throws InvalidPackageException {
        if (c.signatureDigest() == null) {
            return Optional.empty();
        }
        return Optional.of(download(new Descriptor(OciPackageLayout.SIGNATURE_MEDIA_TYPE, Digest.parse(c.signatureDigest()),
                c.signatureSize(), Map.of()), signaturePath(c.signatureDigest()), false));
    }

    /**
     * Streams a blob into the cache (verified against its digest by the store) unless it is there
     * already; a package zip must also start like a zip.
     */
    private Path download(Descriptor layer, Path target, boolean mustBeZip) throws InvalidPackageException {
        if (Files.isRegularFile(target)) {
            return target;
        }
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempFile(target.getParent(), "download-", ".part");
            try (InputStream in = store.openBlob(repository, layer.digest()); OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buffer = new byte[64 * 1024];
                long total = 0;
                int n;
                while ((n = in.read(buffer)) > 0) {
                    total += n;
                    if (total > maxPackageBytes) {
                        throw new InvalidPackageException("the artifact's layer (" + layer.mediaType() + ") is larger than the limit of "
                                + maxPackageBytes + " bytes");
                    }
                    out.write(buffer, 0, n);
                }
            }
            if (mustBeZip) {
                byte[] head = new byte[4];
                try (InputStream in = Files.newInputStream(tmp)) {
                    int read = in.readNBytes(head, 0, 4);
                    if (read < 4 || !java.util.Arrays.equals(head, ZIP_MAGIC)) {
                        throw new InvalidPackageException("the artifact's layer (" + layer.mediaType() + ") is not a zip file");
                    }
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            return target;
        } catch (IOException e) {
            throw new StorageException(StorageException.Kind.CORRUPT, "cannot write " + layer.digest() + " to " + cacheDir + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // A leftover .part file is removed with the other unused blobs on the next refresh.
                }
            }
        }
    }

    private IndexedPackage toIndexed(CachedPackage c) {
        Digest zipDigest = Digest.parse(c.zipDigest());
        ZipContent content = new ZipContent(() -> {
            try {
                return zipFile(c);
            } catch (InvalidPackageException e) {
                throw new IOException(e.getMessage(), e);
            }
        }, c.zipSize(), out -> {
            Path p = blobPath(c.zipDigest());
            if (Files.isRegularFile(p)) {
                Files.copy(p, out);
            } else {
                try (InputStream in = store.openBlob(repository, zipDigest)) {
                    in.transferTo(out);
                }
            }
        }, () -> {
            Optional<Path> sig;
            try {
                sig = signatureFile(c);
            } catch (InvalidPackageException e) {
                throw new IOException(e.getMessage(), e);
            }
            return sig.map(p -> new Resource(c.signatureSize(), out -> Files.copy(p, out)));
        });
        return new IndexedPackage(c.document(), content);
    }

    private Optional<PersistedIndex> readPersisted() {
        Path file = cacheDir.resolve("index.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            PersistedIndex p = Json.mapper().readValue(file.toFile(), PersistedIndex.class);
            if (p.format() < PersistedIndex.OLDEST_READABLE_FORMAT || p.format() > PersistedIndex.FORMAT
                    || !persistedSource.equals(p.source())) {
                LOG.info("ignoring the index persisted in {}: it was written for {} (format {})", file, p.source(), p.format());
                return Optional.empty();
            }
            return Optional.of(p);
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring the unreadable index persisted in {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    private void persist(PersistedIndex index) {
        Path file = cacheDir.resolve("index.json");
        try {
            Path tmp = Files.createTempFile(cacheDir, "index-", ".json.part");
            Json.mapper().writeValue(tmp.toFile(), index);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot persist the index to {}: {}", file, e.getMessage());
        }
    }

    private void removeUnusedBlobs(List<CachedPackage> used) {
        Set<Path> keep = new HashSet<>();
        used.forEach(c -> {
            keep.add(blobPath(c.zipDigest()));
            if (c.signatureDigest() != null) {
                keep.add(signaturePath(c.signatureDigest()));
            }
        });
        for (Path dir : List.of(blobDir(), signatureDir())) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    if (!keep.contains(p)) {
                        Files.deleteIfExists(p);
                    }
                }
            } catch (IOException e) {
                LOG.debug("cannot tidy {}: {}", dir, e.getMessage());
            }
        }
    }

    @Override
    public List<IndexedPackage> packages() {
        return packages;
    }

    @Override
    public IndexHealth health() {
        return health;
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
