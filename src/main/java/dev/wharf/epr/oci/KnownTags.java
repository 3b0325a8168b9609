package dev.wharf.epr.oci;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the OCI indexer knows of the repository's tags between passes: the packages it accepted and the
 * tags it left out, each by tag, and when every tag was last resolved. Immutable: each pass, and each
 * package left out after its zip was refused, makes the next.
 */
record KnownTags(Map<String, CachedPackage> packages, Map<String, RejectedTag> rejections, Optional<Instant> verifiedAt) {
    private static final Logger LOG = LoggerFactory.getLogger(KnownTags.class);
    static final KnownTags NONE = new KnownTags(Map.of(), Map.of(), Optional.empty());

    KnownTags {
        packages = Map.copyOf(packages);
        rejections = Map.copyOf(rejections);
    }

    /** What an earlier run's {@code index.json} lets this run trust, given the checks this run makes. */
    static KnownTags adopted(PersistedIndex p, String checks, Path cacheDir) {
        if (p.format() == PersistedIndex.FORMAT && checks.equals(p.checks())) {
            return new KnownTags(byTag(p.packagesOrEmpty(), CachedPackage::tag), byTag(p.rejectedOrEmpty(), RejectedTag::tag),
                    p.verifiedAtInstant());
        }
        if (p.format() < PersistedIndex.FORMAT) {
            // Packages are still reused by manifest digest, as that format was; the tags are verified at once.
            LOG.info("the index persisted in {} has format {}: every tag is verified once", cacheDir, p.format());
            return new KnownTags(byTag(p.packagesOrEmpty(), CachedPackage::tag), Map.of(), Optional.empty());
        }
        // The zips on disk are read again without a download; what they were judged by has changed.
        LOG.info("the index persisted in {} was checked with {}, now {}: every tag is checked again", cacheDir, p.checks(), checks);
        return NONE;
    }

    private static <T> Map<String, T> byTag(List<T> entries, Function<T, String> tag) {
        Map<String, T> map = new HashMap<>();
        entries.forEach(e -> map.put(tag.apply(e), e));
        return map;
    }

    /** Whether a pass at {@code now} resolves every tag: never verified, interval passed, or a clock that went back. */
    boolean verificationDue(Instant now, Duration interval) {
        if (interval.isZero() || interval.isNegative() || verifiedAt.isEmpty()) {
            return true;
        }
        Instant last = verifiedAt.get();
        return last.isAfter(now) || !now.isBefore(last.plus(interval));
    }

    /** What a pass found; {@code verified}: it resolved every tag, at {@code now}. */
    KnownTags after(RepositoryScan.Result pass, boolean verified, Instant now) {
        return new KnownTags(pass.accepted(), pass.rejected(), verified ? Optional.of(now) : verifiedAt);
    }

    /** Whether {@code entry} is what is known of its tag (not replaced or left out since). */
    boolean holds(CachedPackage entry) {
        return entry.equals(packages.get(entry.tag()));
    }

    /** With {@code entry} left out for {@code reason}, remembered as a refused tag is. */
    KnownTags leavingOut(CachedPackage entry, String reason) {
        Map<String, CachedPackage> accepted = new HashMap<>(packages);
        accepted.remove(entry.tag());
        Map<String, RejectedTag> rejected = new HashMap<>(rejections);
        rejected.put(entry.tag(), new RejectedTag(entry.tag(), entry.manifestDigest(), reason));
        return new KnownTags(accepted, rejected, verifiedAt);
    }

    /** The tags left out, in tag order, as {@code index.json} lists them. */
    List<RejectedTag> sortedRejections() {
        return rejections.values().stream().sorted(Comparator.comparing(RejectedTag::tag)).toList();
    }
}
