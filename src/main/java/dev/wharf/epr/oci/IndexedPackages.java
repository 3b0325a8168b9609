package dev.wharf.epr.oci;

import dev.wharf.epr.index.Deprecations;
import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.index.Resource;
import dev.wharf.epr.pkg.InvalidPackageException;
import dev.wharf.epr.pkg.ZipContent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The served form of the indexer's entries, made once per entry and kept while the entry is listed.
 * Making one parses its versions and ranges (semver4j formats every version it makes), so a package
 * read by a scan's worker is made there, beside the other packages' downloads ({@link #prepare}),
 * rather than all of them one after another once the last package is in, on the way to the first
 * answer (bench/RESULTS.md, session 25). A refresh that changes one tag then makes one, not all again.
 */
final class IndexedPackages {
    private static final Logger LOG = LoggerFactory.getLogger(IndexedPackages.class);

    /** Through the back-off: a request for a blob broken in the registry does not download it again while it waits. */
    private final BackedOffBlobs blobs;
    /**
     * By entry. An entry's equality includes its document's identity ({@link dev.wharf.epr.model.PackageDocument}
     * keeps Object's), so an entry read again, whose document may differ, is made again.
     */
    private final Map<CachedPackage, IndexedPackage> made = new ConcurrentHashMap<>();

    IndexedPackages(BackedOffBlobs blobs) {
        this.blobs = blobs;
    }

    /**
     * Makes {@code entry}'s served form ahead of {@link #of}, on the caller's thread (a scan's worker).
     * It never fails the caller: an entry that cannot be made is made again by {@link #of}, which
     * fails its pass as it always did.
     */
    void prepare(CachedPackage entry) {
        try {
            made.computeIfAbsent(entry, this::served);
        } catch (RuntimeException e) {
            LOG.debug("cannot prepare {} ahead of its index", entry.tag(), e);
        }
    }

    /**
     * The served list for {@code entries}, in their order, the newest deprecation applied to every
     * version of a package. What was made for entries no longer listed is let go.
     */
    List<IndexedPackage> of(List<CachedPackage> entries) {
        List<IndexedPackage> served = new ArrayList<>(entries.size());
        for (CachedPackage entry : entries) {
            served.add(made.computeIfAbsent(entry, this::served));
        }
        made.keySet().retainAll(new HashSet<>(entries));
        return Deprecations.propagate(served);
    }

    private IndexedPackage served(CachedPackage c) {
        ZipContent content = new ZipContent(() -> {
            try {
                return blobs.zip(c);
            } catch (InvalidPackageException e) {
                throw PackageBlobCache.unusable(c, e);
            }
        }, c.zipSize(), Resource.Stamp.ofDigest(c.zipDigest()), () -> blobs.readZip(c), () -> {
            Optional<Path> sig;
            try {
                sig = blobs.signature(c);
            } catch (InvalidPackageException e) {
                throw PackageBlobCache.unusable(c, e);
            }
            return sig.map(p -> Resource.ofFile(p, c.signatureSize()).stamped(Resource.Stamp.ofDigest(c.signatureDigest())));
        });
        return new IndexedPackage(c.document(), content);
    }
}
