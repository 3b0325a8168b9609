package dev.wharf.epr.oci;

import dev.wharf.epr.index.Deprecations;
import dev.wharf.epr.index.IndexHealth;
import dev.wharf.epr.index.IndexedPackage;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packages from an OCI repository. Every tag {@code {name}-{version}} is resolved; a manifest digest
 * seen before (in memory, or in the cache directory from an earlier run) is not downloaded again;
 * a new one has its zip (and its signature, if any) streamed to the cache directory and the zip is
 * read by the same {@link PackageReader} as every other package. A tag that is not a valid package
 * is left out with a warning naming it and why. Keeping the signature on disk beside the zip lets
 * an index served through an outage still answer the {@code .zip.sig} that Fleet verifies.
 *
 * <p>After each successful refresh the index is written to {@code index.json} in the cache
 * directory. When the registry cannot be reached at start, that index is served (health
 * "degraded"); when a later refresh fails, the current index stays.
 */
public final class OciIndexer implements Indexer {
    private static final Logger LOG = LoggerFactory.getLogger(OciIndexer.class);
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private final ArtifactStore store;
    private final String repository;
    private final Path cacheDir;
    private final PackageReader reader;
    private final boolean requireSignatures;
    private final long maxPackageBytes;
    private final Clock clock;
    private final Duration refreshInterval;
    private final String persistedSource;
    private final Map<String, CachedPackage> byManifestDigest = new ConcurrentHashMap<>();
    private final Object refreshLock = new Object();
    private volatile List<IndexedPackage> packages = List.of();
    private volatile IndexHealth health;
    private ScheduledExecutorService scheduler;

    public OciIndexer(ArtifactStore store, String repository, Path cacheDir, boolean validate, boolean requireSignatures,
            long maxPackageBytes, Duration refreshInterval, Clock clock) {
        this.store = store;
        this.repository = repository;
        this.cacheDir = cacheDir;
        this.reader = new PackageReader(validate, LOG::warn);
        this.requireSignatures = requireSignatures;
        this.maxPackageBytes = maxPackageBytes;
        this.refreshInterval = refreshInterval;
        this.clock = clock;
        // Taken before the store's first request: a remote store's description gains the scheme it
        // settled on once it has connected ("127.0.0.1:5000" becomes "http://127.0.0.1:5000"), and the
        // next run must recognise its index while the registry is still unreachable.
        this.persistedSource = source();
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
        persisted.ifPresent(p -> p.packages().forEach(c -> byManifestDigest.put(c.manifestDigest(), c)));
        try {
            synchronized (refreshLock) {
                reindex();
            }
        } catch (StorageException e) {
            // Reported here once (the caller prints a start failure), not also as a failed refresh.
            if (persisted.isEmpty()) {
                throw new IndexerException("cannot index " + source() + " and no index is persisted in " + cacheDir + ": "
                        + e.getMessage(), e);
            }
            PersistedIndex p = persisted.get();
            packages = Deprecations.propagate(p.packages().stream().map(this::toIndexed).toList());
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

    private void refreshQuietly() {
        try {
            refresh();
        } catch (StorageException e) {
            // Logged and recorded in /health by refresh(); the schedule goes on.
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
            try {
                reindex();
            } catch (RuntimeException e) {
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

    /** One pass over the repository; the caller holds {@code refreshLock}. */
    private void reindex() {
        List<CachedPackage> found = scan();
        packages = Deprecations.propagate(found.stream().map(this::toIndexed).toList());
        Instant now = clock.instant();
        persist(new PersistedIndex(PersistedIndex.FORMAT, persistedSource, now.toString(), found));
        removeUnusedBlobs(found);
        health = IndexHealth.healthy(now, packages.size(), source());
        LOG.info("{} packages indexed from {}", packages.size(), source());
    }

    private List<CachedPackage> scan() {
        List<String> tags = new ArrayList<>(store.listTags(repository));
        tags.sort(null);
        List<CachedPackage> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String tag : tags) {
            Optional<PackageTag> parsed = PackageTag.parse(tag);
            if (parsed.isEmpty()) {
                LOG.warn("tag {} of {} left out: not {{name}}-{{version}}", tag, source());
                continue;
            }
            try {
                Optional<CachedPackage> p = index(parsed.get());
                if (p.isPresent() && seen.add(p.get().document().name + "-" + p.get().document().version)) {
                    found.add(p.get());
                }
            } catch (InvalidPackageException e) {
                LOG.warn("tag {} of {} left out: {}", tag, source(), e.getMessage());
            } catch (StorageException e) {
                if (e.isOutage()) {
                    throw e;
                }
                LOG.warn("tag {} of {} left out: {}", tag, source(), e.getMessage());
            }
        }
        return found;
    }

    private Optional<CachedPackage> index(PackageTag tag) throws InvalidPackageException {
        Optional<Manifest> resolved = store.resolve(repository, tag.tag());
        if (resolved.isEmpty()) {
            return Optional.empty();
        }
        Manifest manifest = resolved.get();
        CachedPackage cached = byManifestDigest.get(manifest.digest().toString());
        if (cached != null && cached.tag().equals(tag.tag())) {
            // Blobs removed from the cache (or kept by an older Wharf) are fetched again while the registry answers.
            zipFile(cached);
            signatureFile(cached);
            return Optional.of(cached);
        }
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
        byManifestDigest.put(entry.manifestDigest(), entry);
        return Optional.of(entry);
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
            if (p.format() != PersistedIndex.FORMAT || !persistedSource.equals(p.source())) {
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
        byManifestDigest.values().removeIf(c -> used.stream().noneMatch(u -> u.manifestDigest().equals(c.manifestDigest())));
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
