package dev.wharf.epr.proxy;

import dev.wharf.epr.model.LooseVersion;
import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.model.Versions;
import dev.wharf.epr.search.PackageSearch.CategoryCount;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * EPR 1.40's rules for joining this registry's answers with the upstream's (docs/epr-proxy.md):
 * a version both have is shown as this registry has it; without {@code all=true} only the newest
 * version of each package remains, wherever it comes from; categories add up.
 */
public final class ProxyMerge {
    /** Name, then version as semver (as text when one does not parse): EPR's {@code Packages.Less}. */
    static final Comparator<PackageDocument> BY_NAME_VERSION = Comparator.<PackageDocument, String>comparing(d -> d.name)
            .thenComparing((a, b) -> compareVersions(a.version, b.version));

    private ProxyMerge() {
    }

    /** {@code /search}: local first, then each upstream version not already there; the newest per name unless {@code all}. */
    public static List<PackageDocument> search(List<PackageDocument> local, List<PackageDocument> upstream, boolean allVersions) {
        List<PackageDocument> joined = new ArrayList<>(local);
        for (PackageDocument remote : upstream) {
            // EPR's Packages.contains: same name and the same version text.
            boolean known = local.stream().anyMatch(l -> l.name.equals(remote.name) && l.version.equals(remote.version));
            if (!known) {
                joined.add(remote);
            }
        }
        if (!allVersions) {
            Map<String, PackageDocument> newest = new LinkedHashMap<>();
            for (PackageDocument d : joined) {
                newest.merge(d.name, d, (a, b) -> compareVersions(b.version, a.version) > 0 ? b : a);
            }
            joined = new ArrayList<>(newest.values());
        }
        joined.sort(BY_NAME_VERSION);
        return joined;
    }

    /**
     * {@code /categories}: a category both have counts the sum (a package in both is counted twice,
     * as EPR counts it); one only the upstream has is shown with the upstream's title and parent.
     */
    public static List<CategoryCount> categories(List<CategoryCount> local, List<CategoryCount> upstream) {
        Map<String, CategoryCount> byId = new TreeMap<>();
        local.forEach(c -> byId.put(c.id(), c));
        for (CategoryCount remote : upstream) {
            byId.merge(remote.id(), remote, (mine, theirs) -> new CategoryCount(mine.id(), mine.title(), mine.count() + theirs.count(),
                    mine.parentId(), mine.parentTitle()));
        }
        return List.copyOf(byId.values());
    }

    /** Masterminds' {@code NewVersion} order when both parse, Go's string order otherwise. */
    static int compareVersions(String a, String b) {
        Optional<LooseVersion> va = Versions.lenient(a);
        Optional<LooseVersion> vb = Versions.lenient(b);
        if (va.isPresent() && vb.isPresent()) {
            return va.get().compareTo(vb.get());
        }
        return a.compareTo(b);
    }
}
