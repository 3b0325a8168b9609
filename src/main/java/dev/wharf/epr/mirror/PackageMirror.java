package dev.wharf.epr.mirror;

import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.model.PackageNames;
import dev.wharf.epr.model.Versions;
import dev.wharf.epr.pkg.InvalidPackageException;
import dev.wharf.epr.publish.PackagePublisher;
import dev.wharf.epr.upstream.UpstreamEpr;
import dev.wharf.epr.upstream.UpstreamException;
import dev.wharf.epr.upstream.UpstreamPackageCopy;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.References;
import dev.wharf.oci.StorageException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.semver4j.Semver;

/**
 * {@code package-registry mirror}: asks the upstream which packages each Kibana version can use,
 * and copies each chosen version that the OCI repository lacks ({@link UpstreamPackageCopy}:
 * verified before it is pushed, pushed as {@code push} pushes). A version already in the repository
 * is left alone, so a second run copies nothing; one that another run pushed while this one copied
 * it is already there too, never overwritten.
 */
public final class PackageMirror {
    /** Told after each package: how many are done of how many, and the bytes copied so far. */
    @FunctionalInterface
    public interface Progress {
        void update(int done, int total, long bytes, String tag, String outcome);
    }

    private final UpstreamEpr upstream;
    private final UpstreamPackageCopy copy;
    private final ArtifactStore store;
    private final String repository;

    public PackageMirror(UpstreamEpr upstream, UpstreamPackageCopy copy, ArtifactStore store, String repository) {
        this.upstream = upstream;
        this.copy = copy;
        this.store = store;
        this.repository = repository;
    }

    /**
     * The versions to copy, {@code name-version} in name then version order, and each package named
     * with {@code -package} that the upstream offers no Kibana version asked for: a typo in a name
     * had copied nothing and succeeded; {@code ignored}: the upstream's entries no package can be
     * ({@code 'name' version}). Throws {@link UpstreamException} when the upstream cannot say.
     */
    public record Plan(List<String> tags, List<String> unmatched, List<String> ignored) {
    }

    public Plan plan(MirrorSelection selection) {
        Map<String, TreeSet<Semver>> chosen = new TreeMap<>();
        Set<String> ignored = new TreeSet<>();
        for (String kibana : selection.kibanaVersions()) {
            List<String> names = selection.packages().isEmpty() ? List.of("") : selection.packages();
            for (String name : names) {
                Map<String, List<Semver>> offered = new TreeMap<>();
                for (PackageDocument d : upstream.search(selection.query(kibana, name))) {
                    if (!name.isEmpty() && !name.equals(d.name)) {
                        continue;  // an upstream that ignores &package= lists every package: only the one asked is copied
                    }
                    Optional<Semver> version = d.name == null || d.version == null || !PackageNames.isValid(d.name) ? Optional.<Semver>empty()
                            : Versions.strict(d.version).filter(v -> References.isValidTag(d.name + "-" + v));
                    if (version.isEmpty()) {
                        // The upstream's answer names where a copy goes: a name or version no package can
                        // have (a slash, build metadata, none) is left out, not allowed to end the run.
                        ignored.add("'" + (d.name == null ? "" : d.name) + "' " + d.version);
                        continue;
                    }
                    offered.computeIfAbsent(d.name, n -> new ArrayList<>()).add(version.get());
                }
                offered.forEach((pkg, versions) -> versions.stream().sorted(Versions.PRECEDENCE.reversed()).limit(selection.versions())
                        .forEach(v -> chosen.computeIfAbsent(pkg, n -> new TreeSet<>(Versions.PRECEDENCE)).add(v)));
            }
        }
        List<String> tags = new ArrayList<>();
        chosen.forEach((name, versions) -> versions.forEach(v -> tags.add(name + "-" + v)));
        return new Plan(tags, selection.packages().stream().filter(name -> !chosen.containsKey(name)).distinct().toList(),
                List.copyOf(ignored));
    }

    public MirrorReport run(List<String> tags, Progress progress, Consumer<String> warnings) {
        MirrorReport report = new MirrorReport();
        for (String tag : tags) {
            int dash = tag.indexOf('-');
            String name = tag.substring(0, dash);
            String version = tag.substring(dash + 1);
            String outcome;
            try {
                if (store.exists(repository, tag)) {
                    report.alreadyThere(tag);
                    outcome = "already there";
                } else {
                    UpstreamPackageCopy.Copied done = copy.copy(name, version, w -> warnings.accept(tag + ": " + w));
                    report.copied(tag, done.bytes(), done.signed());
                    outcome = "copied, " + done.bytes() + " bytes" + done.verifiedBy().map(k -> ", verified (key " + k + ")").orElse(", not verified");
                }
            } catch (PackagePublisher.ExistsException e) {
                // Another run (a cron job overlapping a manual one) pushed the version between the check
                // above and this push; the publisher refused to overwrite it. Not a failure of this run.
                report.alreadyThere(tag);
                outcome = "already there (pushed meanwhile by another writer)";
            } catch (UpstreamException | InvalidPackageException | StorageException | UncheckedIOException | IllegalArgumentException e) {
                String reason = String.valueOf(e.getMessage());
                report.refused(tag, reason);
                outcome = "refused: " + reason;
            }
            progress.update(report.done(), tags.size(), report.bytes(), tag, outcome);
        }
        return report;
    }
}
