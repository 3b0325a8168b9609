package dev.wharf.epr.oci;

import dev.wharf.epr.index.IndexReport;
import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.pkg.InvalidPackageException;
import dev.wharf.epr.pkg.PackageReader;
import dev.wharf.epr.pkg.ZipPackageFiles;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.StorageException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * One pass over the repository's tags, given what the last pass knew. A tag it knows (accepted or
 * left out) costs no request unless the pass verifies; a new tag is resolved and, when its manifest
 * is new, its package taken from the manifest's config ({@link ConfigDocuments}) or else its zip
 * downloaded and read. A known package whose blobs the cache lost is not downloaded here: the fill
 * behind the index fetches them through the back-off ({@link BlobBackoff}), so a blob broken in the
 * registry is not downloaded whole again at every refresh, nor its package left out for it. The zip
 * or signature of a new tag read from its zip that is broken in the registry is backed off by its
 * digest the same way ({@link BackedOffBlobs#unreadZip}, {@link BackedOffBlobs#unreadSignature}): the
 * tag is left out, and the refreshes before it is due again download neither. New tags are resolved by a small pool of threads, the results kept in
 * tag order. A registry outage fails the whole pass (the first in tag order winning).
 */
final class RepositoryScan {
    private static final Logger LOG = LoggerFactory.getLogger(RepositoryScan.class);
    /** Enough to hide the round trip of a remote registry, few enough not to look like an attack on it. */
    private static final int RESOLVE_THREADS = 8;
    private static final String MISNAMED = "not {name}-{version}";
    private static final String SKIPPED = "not read by this refresh (the registry failed for this tag alone, or it vanished meanwhile);"
            + " the next refresh tries again";
    private static final String BROKEN = " is broken in the registry (not the bytes or length its manifest gives, or gone);"
            + " it is tried again after 10 s, then less and less often (up to every 10 min) while it fails";

    /** What a pass found: the packages in tag order, what is now known of every tag, and what it left out, in tag order. */
    record Result(List<CachedPackage> packages, Map<String, CachedPackage> accepted, Map<String, RejectedTag> rejected,
            int resolved, int tags, List<IndexReport.LeftOut> leftOut) {
    }

    private final ArtifactStore store;
    private final String repository;
    private final String source;
    private final BackedOffBlobs backedOff;
    private final FillHealth health;
    private final PackageReader reader;
    private final ConfigDocuments configs;
    private final boolean requireSignatures;
    private final long maxPackageBytes;
    private final Consumer<CachedPackage> onRead;

    /**
     * @param backedOff fetches the zip and signature of a new tag read from its zip, through the back-off
     * @param health counts a new tag refused for its size, as the fill counts a listed package's
     * @param onRead told of each package read, on the worker that read it
     */
    RepositoryScan(ArtifactStore store, String source, BackedOffBlobs backedOff, FillHealth health, PackageReader reader,
            OciIndexerSettings settings, Consumer<CachedPackage> onRead) {
        this.store = store;
        this.repository = settings.repository();
        this.source = source;
        this.backedOff = backedOff;
        this.health = health;
        this.reader = reader;
        this.configs = new ConfigDocuments(store, repository, settings.validate());
        this.requireSignatures = settings.requireSignatures();
        this.maxPackageBytes = settings.maxPackageBytes();
        this.onRead = onRead;
    }

    /** Reads the repository; {@code verify}: resolve every tag, known or not. */
    Result scan(Map<String, CachedPackage> knownPackages, Map<String, RejectedTag> knownRejections, boolean verify) {
        List<String> tags = new ArrayList<>(store.listTags(repository));
        tags.sort(null);
        ScanOutcome[] outcomes = new ScanOutcome[tags.size()];
        Map<Integer, Callable<ScanOutcome>> requests = new LinkedHashMap<>();
        for (int i = 0; i < tags.size(); i++) {
            String tag = tags.get(i);
            Optional<PackageTag> parsed = PackageTag.parse(tag);
            CachedPackage known = knownPackages.get(tag);
            RejectedTag rejected = knownRejections.get(tag);
            if (parsed.isEmpty()) {
                outcomes[i] = new ScanOutcome.Rejected(new RejectedTag(tag, null, MISNAMED), verify || rejected == null);
            } else if (verify || (known == null && rejected == null)) {
                requests.put(i, () -> resolve(parsed.get(), known, rejected, verify));
            } else if (known == null) {
                outcomes[i] = new ScanOutcome.Rejected(java.util.Objects.requireNonNull(rejected), false);
            } else {
                // Its blobs, if the cache lost them, are fetched behind the index (CacheFill), or when asked for.
                outcomes[i] = new ScanOutcome.Accepted(known);
            }
        }
        run(requests, outcomes);

        Map<String, CachedPackage> accepted = new HashMap<>();
        Map<String, RejectedTag> rejections = new HashMap<>();
        List<CachedPackage> found = new ArrayList<>();
        List<IndexReport.LeftOut> leftOut = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> brokenBlobs = new HashSet<>();
        for (int i = 0; i < outcomes.length; i++) {
            String tag = tags.get(i);
            // Java 17: no pattern matching in switch yet.
            ScanOutcome outcome = outcomes[i];
            if (outcome instanceof ScanOutcome.Accepted a) {
                if (seen.add(a.entry().document().name + "-" + a.entry().document().version)) {
                    found.add(a.entry());
                    accepted.put(tag, a.entry());
                }
            } else if (outcome instanceof ScanOutcome.Rejected r) {
                String digest = r.rejection().manifestDigest();
                rejections.put(tag, r.rejection());
                leftOut.add(new IndexReport.LeftOut(tag, r.rejection().reason()));
                if (r.report()) {
                    LOG.warn("tag {} of {} left out: {}", at(tag, digest), source, r.rejection().reason());
                } else {
                    LOG.debug("tag {} of {} left out, as before: {}", at(tag, digest), source, r.rejection().reason());
                }
            } else if (outcome instanceof ScanOutcome.Skipped skipped) {
                LOG.warn("tag {} of {} left out: {}", at(tag, skipped.manifestDigest()), source, skipped.reason());
                // The reason may name the registry, which the health page does not: the log has it.
                leftOut.add(new IndexReport.LeftOut(tag, SKIPPED));
            } else if (outcome instanceof ScanOutcome.BrokenBlob b) {
                brokenBlobs.add(b.digest());
                leftOut.add(new IndexReport.LeftOut(tag, "its " + b.what() + BROKEN));
                if (b.report()) {
                    LOG.warn("tag {} of {} left out: {}", at(tag, b.manifestDigest()), source, b.reason());
                } else {
                    LOG.debug("tag {} of {} left out, as before: {}", at(tag, b.manifestDigest()), source, b.reason());
                }
            }
        }
        backedOff.retainUnread(brokenBlobs);
        return new Result(found, accepted, rejections, requests.size(), tags.size(), leftOut);
    }

    /**
     * A tag as a refusal names it: with the manifest it points at, so that an operator can tell which push
     * was refused when the tag was pushed more than once (by another tool; {@code push} refuses to overwrite).
     * A tag never resolved (misnamed, or the registry failed for it) has none.
     */
    static String at(String tag, @Nullable String manifestDigest) {
        return manifestDigest == null ? tag : tag + " (manifest " + manifestDigest + ")";
    }

    /**
     * Runs the tasks that need the registry on a small pool and puts each outcome at its index. An
     * outage fails the pass, the first in tag order winning; the tasks still running are interrupted.
     */
    private static void run(Map<Integer, Callable<ScanOutcome>> requests, ScanOutcome[] outcomes) {
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
            Map<Integer, Future<ScanOutcome>> futures = new LinkedHashMap<>();
            requests.forEach((i, task) -> futures.put(i, pool.submit(task)));
            for (Map.Entry<Integer, Future<ScanOutcome>> f : futures.entrySet()) {
                outcomes[f.getKey()] = await(f.getValue());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static ScanOutcome await(Future<ScanOutcome> future) {
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
    private ScanOutcome resolve(PackageTag tag, @Nullable CachedPackage known, @Nullable RejectedTag rejected, boolean verifying) {
        Optional<Manifest> resolved;
        try {
            resolved = store.resolve(repository, tag.tag());
        } catch (StorageException e) {
            if (e.isOutage()) {
                throw e;
            }
            return new ScanOutcome.Skipped(null, e.getMessage());
        }
        if (resolved.isEmpty()) {
            return new ScanOutcome.Skipped(null, "it was removed while the repository was read");
        }
        Manifest manifest = resolved.get();
        String digest = manifest.digest().toString();
        if (known != null && known.manifestDigest().equals(digest)) {
            return new ScanOutcome.Accepted(known);
        }
        if (rejected != null && digest.equals(rejected.manifestDigest())) {
            // A reminder once per verification, not a download.
            return new ScanOutcome.Rejected(rejected, verifying);
        }
        if (known != null) {
            LOG.warn("tag {} of {} now points at {} instead of {}: reading it again", tag.tag(), source, digest,
                    known.manifestDigest());
        }
        try {
            return read(tag, manifest);
        } catch (InvalidPackageException e) {
            if (e instanceof BlobTooLargeException) {
                // Once: a verification that finds the tag at the same manifest reminds of it without reading it.
                health.refused(FillListener.Failure.BLOB_TOO_LARGE);
            }
            return new ScanOutcome.Rejected(new RejectedTag(tag.tag(), digest, e.getMessage()), true);
        } catch (StorageException e) {
            if (e.isOutage()) {
                throw e;
            }
            return new ScanOutcome.Skipped(digest, e.getMessage());
        }
    }

    /** Downloads and reads a manifest not seen under this tag before. */
    private ScanOutcome read(PackageTag tag, Manifest manifest) throws InvalidPackageException {
        Descriptor zipLayer = OciPackageLayout.zipLayer(manifest, tag.tag())
                .orElseThrow(() -> new InvalidPackageException("the artifact has no package zip layer (layers: "
                        + manifest.layers().stream().map(Descriptor::mediaType).toList() + ")"));
        if (zipLayer.size() > maxPackageBytes) {
            throw new BlobTooLargeException("the package zip is " + zipLayer.size() + " bytes, more than the limit of "
                    + maxPackageBytes);
        }
        Optional<Descriptor> sigLayer = OciPackageLayout.signatureLayer(manifest);
        if (requireSignatures && sigLayer.isEmpty()) {
            throw new InvalidPackageException("package is missing a required signature layer; use -require-package-signatures=false for unsigned packages");
        }
        Optional<PackageDocument> described = configs.document(manifest, tag, sigLayer.isPresent());
        if (described.isPresent()) {
            CachedPackage entry = entry(tag, manifest, zipLayer, sigLayer, described.get(), true);
            onRead.accept(entry);
            return new ScanOutcome.Accepted(entry);
        }
        if (sigLayer.isPresent()) {
            // The signature before the zip, so that while it waits for its next try neither is downloaded; not
            // while the zip waits, which would download the signature at every refresh for nothing.
            try {
                backedOff.throwIfUnreadWaits(tag.tag(), zipLayer, "the zip");
            } catch (StorageException e) {
                return broken(e, manifest, zipLayer, "zip", true);
            }
            boolean failedBefore = backedOff.unreadFailing(sigLayer.get().digest().toString());
            try {
                backedOff.unreadSignature(tag.tag(), sigLayer.get());
            } catch (StorageException e) {
                return broken(e, manifest, sigLayer.get(), "signature", failedBefore);
            }
        }
        boolean failedBefore = backedOff.unreadFailing(zipLayer.digest().toString());
        Path zip;
        try {
            zip = backedOff.unreadZip(tag.tag(), zipLayer);
        } catch (StorageException e) {
            return broken(e, manifest, zipLayer, "zip", failedBefore);
        }
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
        CachedPackage entry = entry(tag, manifest, zipLayer, sigLayer, doc, false);
        onRead.accept(entry);
        return new ScanOutcome.Accepted(entry);
    }

    /**
     * A new tag whose blob {@code layer} ({@code what}: its zip or its signature) failed, or waits for its next try:
     * left out as broken in the registry when the fault is that blob's ({@link BackedOffBlobs#isFaultOfTheBlob}), else
     * (an outage) rethrown. {@code failedBefore}: the blob failed at its last try, so its failure now is no news.
     */
    private static ScanOutcome broken(StorageException e, Manifest manifest, Descriptor layer, String what, boolean failedBefore) {
        String at = manifest.digest().toString();
        if (e instanceof BlobWaitingException) {
            return new ScanOutcome.BrokenBlob(at, layer.digest().toString(), what, e.getMessage(), false);
        }
        if (!BackedOffBlobs.isFaultOfTheBlob(e)) {
            throw e;
        }
        return new ScanOutcome.BrokenBlob(at, layer.digest().toString(), what, e.getMessage(), !failedBefore);
    }

    private static CachedPackage entry(PackageTag tag, Manifest manifest, Descriptor zipLayer, Optional<Descriptor> sigLayer,
            PackageDocument doc, boolean fromConfig) {
        return new CachedPackage(tag.tag(), manifest.digest().toString(), zipLayer.digest().toString(), zipLayer.size(),
                sigLayer.map(d -> d.digest().toString()).orElse(null), sigLayer.map(Descriptor::size).orElse(0L), doc, fromConfig);
    }
}
