package dev.wharf.terraform.mirror;

import dev.wharf.oci.IoFailures;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.archive.ArchiveRefusedException;
import dev.wharf.oci.archive.ZipInspector;
import dev.wharf.terraform.mirror.upstream.UpstreamException;
import dev.wharf.terraform.mirror.upstream.UpstreamPackage;
import dev.wharf.terraform.mirror.upstream.UpstreamSource;
import dev.wharf.terraform.mirror.upstream.UpstreamVersion;
import dev.wharf.terraform.mirror.upstream.VerifiedRelease;
import dev.wharf.terraform.mirror.upstream.VerifiedSums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --network-mirror-pull-through}: what the mirror lacks is resolved against the upstream
 * registry named by the provider's hostname. A package is fetched, verified (signature over
 * SHA256SUMS, zip against SHA256SUMS, then the shared archive check), stored (zip first, then SHA256SUMS, signature and signing
 * keys) and only then served. Concurrent requests for the same package share one fetch.
 */
public final class PullThrough {
    private static final Logger LOG = LoggerFactory.getLogger(PullThrough.class);

    private record PackageKey(MirrorCoordinates provider, String version, String os, String arch) {
    }

    private final UpstreamSource upstream;
    private final MirrorStorage storage;
    private final Path tempDir;
    private final ZipInspector zips;
    private final ConcurrentMap<PackageKey, CompletableFuture<StoredArchive>> inFlight = new ConcurrentHashMap<>();

    public PullThrough(UpstreamSource upstream, MirrorStorage storage, Path tempDir, ZipInspector zips) {
        this.upstream = upstream;
        this.storage = storage;
        this.tempDir = tempDir;
        this.zips = zips;
    }

    public List<UpstreamVersion> versions(MirrorCoordinates provider) {
        return upstream.versions(provider);
    }

    /** What one answer learns of a release upstream, asked for at most once within it. */
    UpstreamRelease release(MirrorCoordinates provider, String version) {
        return new UpstreamRelease(upstream, provider, version);
    }

    /**
     * The platforms the upstream offers for {@code version}, except those in {@code skip}, each with the
     * {@code zh:} hash from the release's signed SHA256SUMS (from {@code release}, so a repair just before asked for
     * it once). Empty when the upstream lacks the version.
     */
    Map<String, ArchiveListing> offered(MirrorCoordinates provider, String version, java.util.Set<String> skip, UpstreamRelease release) {
        Optional<UpstreamVersion> listed = upstream.versions(provider).stream().filter(v -> v.version().equals(version)).findFirst();
        Map<String, ArchiveListing> offered = new LinkedHashMap<>();
        if (listed.isEmpty() || listed.get().platforms().isEmpty()) {
            return offered;
        }
        List<String> wanted = listed.get().platforms().stream().filter(p -> !skip.contains(p)).toList();
        if (wanted.isEmpty()) {
            return offered;
        }
        String[] first = split(listed.get().platforms().get(0));
        VerifiedSums sums = release.signed(first[0], first[1]).sums();
        for (String platform : wanted) {
            String[] p = split(platform);
            String fileName = provider.archiveFileName(version, p[0], p[1]);
            sums.sha256Of(fileName).ifPresent(sha -> offered.put(platform, new ArchiveListing(fileName, List.of(PackageHashes.ZH + sha))));
        }
        return offered;
    }

    /** Fetches, verifies and stores one package, once however many ask at the same time. */
    public StoredArchive pull(MirrorCoordinates provider, String version, String os, String arch) {
        PackageKey key = new PackageKey(provider, version, os, arch);
        CompletableFuture<StoredArchive> mine = new CompletableFuture<>();
        CompletableFuture<StoredArchive> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return join(running);
        }
        try {
            mine.complete(storage.archive(provider, version, os, arch).orElseGet(() -> fetchAndStore(key)));
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
        } finally {
            inFlight.remove(key, mine);
        }
        return join(mine);
    }

    /**
     * Stores again the SHA256SUMS and signature of a release whose archives are stored but which lost them (an operator,
     * a retention policy, a deletion while they were stored): a stored archive is never pulled again, so nothing else
     * would. They are verified as on a first pull and must list the stored archives' hashes; when they do not, or the
     * upstream or the registry fails now, nothing is stored, one WARN says why, and what is stored is served as before:
     * a repair never turns an answer that worked into a failure.
     */
    void restoreSums(MirrorCoordinates provider, String version, List<StoredArchive> stored, UpstreamRelease release) {
        String what = provider + " " + version;
        try {
            StoredArchive first = stored.get(0);
            UpstreamRelease.Signed signed = release.signed(first.os(), first.arch());
            UpstreamPackage pkg = signed.pkg();
            VerifiedSums sums = signed.sums();
            for (StoredArchive archive : stored) {
                String fileName = provider.archiveFileName(version, archive.os(), archive.arch());
                String zh = storage.hashes(archive).zh();
                Optional<String> listed = sums.sha256Of(fileName).map(sha -> PackageHashes.ZH + sha);
                if (!listed.equals(Optional.of(zh))) {
                    LOG.warn("{} lacks its SHA256SUMS or signature, which are not stored again: the upstream's SHA256SUMS lists {} for {},"
                            + " the mirror holds {}", what, listed.orElse("nothing"), fileName, zh);
                    return;
                }
            }
            storage.storeSums(provider, version, sums.content(), sums.signature());
            storage.addSigningKeys(provider, pkg.signingKeysJson());
            LOG.info("stored again the SHA256SUMS and signature of {} from upstream (signed by key {})", what, sums.signingKeyId());
        } catch (UpstreamException e) {
            // Not found upstream: most often a release uploaded from a "terraform providers mirror" folder, which never had sums.
            if (e.kind() != UpstreamException.Kind.NOT_FOUND) {
                LOG.warn("{} lacks its SHA256SUMS or signature, which cannot be stored again now: {}", what, e.getMessage());
            }
        } catch (MirrorException | StorageException e) {
            LOG.warn("{} lacks its SHA256SUMS or signature, which could not be stored again: {}", what, e.getMessage());
        }
    }

    /**
     * How many requests are waiting for the fetch of this package now in flight, beyond the one
     * fetching it: lets a test know every follower is queued before it lets the fetch finish.
     */
    int waitingFor(MirrorCoordinates provider, String version, String os, String arch) {
        CompletableFuture<StoredArchive> running = inFlight.get(new PackageKey(provider, version, os, arch));
        return running == null ? 0 : running.getNumberOfDependents();
    }

    private StoredArchive fetchAndStore(PackageKey key) {
        MirrorCoordinates provider = key.provider();
        String what = provider + " " + key.version() + " for " + key.os() + "_" + key.arch();
        VerifiedRelease release;
        try {
            UpstreamPackage pkg = upstream.packageFor(provider, key.version(), key.os(), key.arch());
            release = upstream.fetch(pkg, tempDir);
        } catch (UpstreamException e) {
            throw translate(e, what);
        }
        try {
            inspect(release.archive(), what);
            PackageHashes hashes;
            try {
                hashes = PackageHashes.of(release.archive());
            } catch (PackageException e) {
                // A name terraform's h1 hash cannot take (a line break): the upstream's package, refused as such (502).
                throw new MirrorException(MirrorException.Reason.UPSTREAM_FAILED, what + " is not mirrored: the upstream's package is refused: "
                        + e.getMessage());
            }
            // The sums first: a stored archive is never pulled again, so sums failing after it would stay missing.
            storage.storeSums(provider, key.version(), release.sha256Sums(), release.signature());
            StoredArchive stored = storage.storeArchive(provider, key.version(), key.os(), key.arch(), release.archive(), hashes);
            if (!storage.release(provider, key.version()).sumsStored()) {
                // Deleted after storeSums found them and before the zip was stored: stored again from the bytes in hand (a
                // deletion meanwhile is TAG_DELETED, a 503), so this zip is never served as mirrored while its release lacks them.
                storage.storeSums(provider, key.version(), release.sha256Sums(), release.signature());
            }
            storage.addSigningKeys(provider, release.source().signingKeysJson());
            LOG.info("mirrored {} from upstream (signed by key {}, {})", what, release.signingKeyId(), hashes.zh());
            return stored;
        } finally {
            try {
                Files.deleteIfExists(release.archive());
            } catch (IOException e) {
                LOG.debug("could not remove temporary file {}", release.archive(), e);
            }
        }
    }

    /** A correctly signed upstream package is still refused when it would unpack outside its folder or inflate without bound. */
    private void inspect(Path archive, String what) {
        try {
            zips.inspect(archive);
        } catch (ArchiveRefusedException e) {
            throw new MirrorException(MirrorException.Reason.UPSTREAM_FAILED, what + " is not mirrored: the upstream's package is refused: "
                    + e.getMessage());
        } catch (IOException e) {
            throw new MirrorException(MirrorException.Reason.UPSTREAM_FAILED, what + " is not mirrored: the upstream's package is not a readable zip: "
                    + IoFailures.describe(e));
        }
    }

    static MirrorException translate(UpstreamException e, String what) {
        if (e.kind() == UpstreamException.Kind.NOT_FOUND) {
            return new MirrorException(MirrorException.Reason.NOT_FOUND, what + " is neither mirrored nor offered upstream: "
                    + e.getMessage(), e);
        }
        return new MirrorException(MirrorException.Reason.UPSTREAM_FAILED, what + " is not mirrored and cannot be pulled: "
                + e.getMessage(), e);
    }

    private static StoredArchive join(CompletableFuture<StoredArchive> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private static String[] split(String platform) {
        int underscore = platform.indexOf('_');
        return new String[] {platform.substring(0, underscore), platform.substring(underscore + 1)};
    }
}
