package dev.wharf.terraform.mirror;

import dev.wharf.terraform.mirror.upstream.UpstreamException;
import dev.wharf.terraform.mirror.upstream.UpstreamVersion;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Provider Network Mirror Protocol over storage, for every origin hostname. With pull-through,
 * the upstream's versions and platforms are offered too; when the upstream is down, what is stored is
 * still served and only what is missing fails, with the upstream's reason.
 */
public final class MirrorService {
    private static final Logger LOG = LoggerFactory.getLogger(MirrorService.class);
    private static final Pattern VERSION = Pattern.compile("[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.+-]*)?");
    private static final Pattern OS_ARCH = Pattern.compile("[a-z0-9]+");

    private final MirrorStorage storage;
    private final Optional<PullThrough> pullThrough;

    public MirrorService(MirrorStorage storage, Optional<PullThrough> pullThrough) {
        this.storage = storage;
        this.pullThrough = pullThrough;
    }

    /** The versions for {@code index.json}. */
    public SortedSet<String> versions(MirrorCoordinates provider) {
        SortedSet<String> versions = new TreeSet<>();
        storage.archives(provider).forEach(a -> versions.add(a.version()));
        if (pullThrough.isPresent()) {
            try {
                for (UpstreamVersion v : pullThrough.get().versions(provider)) {
                    if (!v.platforms().isEmpty()) {
                        versions.add(v.version());
                    }
                }
            } catch (UpstreamException e) {
                fallBack(e, provider.toString(), versions.isEmpty());
            }
        }
        if (versions.isEmpty()) {
            throw new MirrorException(MirrorException.Reason.NOT_FOUND, "provider " + provider + " is not mirrored");
        }
        return versions;
    }

    /** The archives for {@code {version}.json}, by platform ({@code linux_amd64}). */
    public Map<String, ArchiveListing> archives(MirrorCoordinates provider, String version) {
        requireVersion(version);
        Map<String, ArchiveListing> archives = new TreeMap<>();
        StoredRelease release = storage.release(provider, version);
        for (StoredArchive archive : release.archives()) {
            archives.put(archive.platform(), new ArchiveListing(provider.archiveFileName(version, archive.os(), archive.arch()),
                    storage.hashes(archive).asList()));
        }
        if (pullThrough.isPresent()) {
            UpstreamRelease upstream = pullThrough.get().release(provider, version);
            if (!release.archives().isEmpty() && !release.sumsStored()) {
                // Here, not at each download: terraform asks for {version}.json before any archive, and this listing
                // of the tags shows the missing sums without another request to the registry.
                pullThrough.get().restoreSums(provider, version, release.archives(), upstream);
            }
            try {
                Set<String> have = new HashSet<>(archives.keySet());
                archives.putAll(pullThrough.get().offered(provider, version, have, upstream));
            } catch (UpstreamException e) {
                fallBack(e, provider + " " + version, archives.isEmpty());
            }
        }
        if (archives.isEmpty()) {
            throw new MirrorException(MirrorException.Reason.NOT_FOUND, "provider " + provider + " " + version + " is not mirrored");
        }
        return archives;
    }

    /** The stored package, pulled from upstream first when it is missing and pull-through is on. */
    public StoredArchive archive(MirrorCoordinates provider, String version, String os, String arch) {
        requireVersion(version);
        if (!OS_ARCH.matcher(os).matches() || !OS_ARCH.matcher(arch).matches()) {
            throw new MirrorException(MirrorException.Reason.BAD_REQUEST, "'" + os + "_" + arch + "' is not a platform");
        }
        Optional<StoredArchive> stored = storage.archive(provider, version, os, arch);
        if (stored.isPresent()) {
            return stored.get();
        }
        if (pullThrough.isEmpty()) {
            throw new MirrorException(MirrorException.Reason.NOT_FOUND, "provider " + provider + " " + version + " for "
                    + os + "_" + arch + " is not mirrored");
        }
        return pullThrough.get().pull(provider, version, os, arch);
    }

    public MirrorStorage storage() {
        return storage;
    }

    /** The archive file name route segment back to its version and platform. */
    public static Optional<List<String>> parseArchiveName(MirrorCoordinates provider, String fileName) {
        String prefix = "terraform-provider-" + provider.type() + "_";
        if (!fileName.startsWith(prefix) || !fileName.endsWith(".zip")) {
            return Optional.empty();
        }
        String[] parts = fileName.substring(prefix.length(), fileName.length() - 4).split("_");
        return parts.length == 3 ? Optional.of(List.of(parts)) : Optional.empty();
    }

    private static void fallBack(UpstreamException e, String what, boolean nothingStored) {
        if (e.kind() == UpstreamException.Kind.NOT_FOUND) {
            return;
        }
        if (nothingStored) {
            throw PullThrough.translate(e, what);
        }
        LOG.warn("serving {} from storage only: {}", what, e.getMessage());
    }

    private static void requireVersion(String version) {
        if (!VERSION.matcher(version).matches()) {
            throw new MirrorException(MirrorException.Reason.BAD_REQUEST, "'" + version + "' is not a version");
        }
    }
}
