package dev.wharf.epr.search;

import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.model.Categories;
import dev.wharf.epr.model.LooseVersion;
import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.model.PolicyTemplate;
import dev.wharf.epr.model.Versions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * EPR's package filter ({@code Filter.Apply}, and {@code legacyApply} when {@code experimental=true}),
 * its ordering (name, then semver) and its category counting.
 */
public final class PackageSearch {
    /** Name ascending, then version ascending: EPR 1.40's {@code /search} order. */
    public static final Comparator<IndexedPackage> BY_NAME_VERSION =
            Comparator.comparing(IndexedPackage::name).thenComparing(IndexedPackage::version, Versions.PRECEDENCE);

    private PackageSearch() {
    }

    /** A match: the package and the document to show, which a category filter may have trimmed. */
    public record Match(IndexedPackage pkg, PackageDocument document) {
    }

    /** @throws SpecUnknownException for {@code spec.min} or {@code spec.max} and a package it reaches that has no format version */
    public static List<Match> apply(List<IndexedPackage> packages, Filter f) {
        List<IndexedPackage> selected = f.experimental() ? legacy(packages, f) : current(packages, f);
        List<Match> result = new ArrayList<>();
        for (IndexedPackage p : selected) {
            PackageDocument d = p.document();
            if (f.category() != null) {
                boolean pkgHas = Categories.covers(d.categories, f.category());
                boolean templateHas = d.policyTemplates != null
                        && d.policyTemplates.stream().anyMatch(t -> Categories.covers(t.categories, f.category()));
                if (!pkgHas && !templateHas) {
                    continue;
                }
                if (!pkgHas) {
                    d = p.copyOfDocument();
                    List<PolicyTemplate> kept = Objects.requireNonNull(d.policyTemplates).stream()
                            .filter(t -> t.categories != null && t.categories.contains(f.category())).toList();
                    d.policyTemplates = kept.isEmpty() ? null : kept;
                }
            }
            result.add(new Match(p, d));
        }
        result.sort(Comparator.comparing(Match::pkg, BY_NAME_VERSION));
        return result;
    }

    private static List<IndexedPackage> current(List<IndexedPackage> packages, Filter f) {
        List<IndexedPackage> list = new ArrayList<>();
        Map<String, Integer> latest = new HashMap<>();
        for (IndexedPackage p : packages) {
            if ("experimental".equals(p.release()) && !f.prerelease()) {
                continue;
            }
            if (p.isPrerelease() && !f.prerelease()) {
                continue;
            }
            if (!commonMatch(p, f)) {
                continue;
            }
            if (f.capabilities() != null && !worksWithCapabilities(p, f.capabilities())) {
                continue;
            }
            if (!f.discovery().isEmpty() && !f.discovery().stream().allMatch(d -> d.matches(p.document().discovery))) {
                continue;
            }
            if (f.specMin() != null || f.specMax() != null) {
                if (p.specMajorMinor().isEmpty()) {
                    throw new SpecUnknownException(p.name(), f.specMin(), f.specMax());
                }
                // EPR's ">=spec.min,<=spec.max" range, which compares as Masterminds' Compare.
                LooseVersion spec = LooseVersion.of(p.specMajorMinor().get());
                if (f.specMin() != null && spec.compareTo(f.specMin()) < 0) {
                    continue;
                }
                if (f.specMax() != null && spec.compareTo(f.specMax()) > 0) {
                    continue;
                }
            }
            if (!f.allVersions()) {
                Integer idx = latest.get(p.name());
                if (idx != null) {
                    if (Versions.compare(list.get(idx).version(), p.version()) < 0) {
                        list.set(idx, p);
                    }
                    continue;
                }
                latest.put(p.name(), list.size());
            }
            list.add(p);
        }
        return list;
    }

    private static boolean commonMatch(IndexedPackage p, Filter f) {
        if (f.kibanaVersion() != null && !p.worksWithKibana(f.kibanaVersion())) {
            return false;
        }
        if (f.agentVersion() != null && !p.worksWithAgent(f.agentVersion())) {
            return false;
        }
        if (f.packageName() != null && !f.packageName().equals(p.name())) {
            return false;
        }
        if (f.packageVersion() != null && !f.packageVersion().equals(p.versionText())) {
            return false;
        }
        return f.packageType() == null || f.packageType().equals(p.document().type);
    }

    private static boolean worksWithCapabilities(IndexedPackage p, List<String> capabilities) {
        var c = p.document().conditions;
        if (c == null || c.elastic == null || c.elastic.capabilities == null) {
            return true;
        }
        return capabilities.containsAll(c.elastic.capabilities);
    }

    /** EPR's pre-1.0 behaviour, still chosen by {@code experimental=true}. */
    private static List<IndexedPackage> legacy(List<IndexedPackage> packages, Filter f) {
        List<IndexedPackage> list = new ArrayList<>();
        Map<String, Integer> latest = new HashMap<>();
        for (IndexedPackage p : packages) {
            if ("experimental".equals(p.release()) && !f.experimental()) {
                continue;
            }
            if (!commonMatch(p, f)) {
                continue;
            }
            if (!f.allVersions()) {
                Integer idx = latest.get(p.name());
                if (idx != null) {
                    IndexedPackage current = list.get(idx);
                    if (current.isPrerelease() == p.isPrerelease() && Versions.compare(current.version(), p.version()) >= 0) {
                        continue;
                    }
                    if (!current.isPrerelease() && p.isPrerelease()) {
                        continue;
                    }
                    list.set(idx, p);
                    continue;
                }
                latest.put(p.name(), list.size());
            }
            list.add(p);
        }
        if (f.allVersions()) {
            Set<String> hasStable = new HashSet<>();
            for (IndexedPackage p : list) {
                if (!p.isPrerelease() && p.version().getMajor() >= 1) {
                    hasStable.add(p.name());
                }
            }
            list.removeIf(p -> hasStable.contains(p.name()) && (p.isPrerelease() || p.version().getMajor() < 1));
        }
        return list;
    }

    /** One entry of {@code /categories}. */
    @com.fasterxml.jackson.annotation.JsonPropertyOrder({"id", "title", "count", "parent_id", "parent_title"})
    public record CategoryCount(
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS) String id,
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS) String title,
            int count,
            @com.fasterxml.jackson.annotation.JsonProperty("parent_id") @Nullable String parentId,
            @com.fasterxml.jackson.annotation.JsonProperty("parent_title") @Nullable String parentTitle) {
        /** Read from an upstream's answer, an id or title absent or null is "", as Go's encoding/json leaves it. */
        public CategoryCount {
            id = java.util.Objects.requireNonNullElse(id, "");
            title = java.util.Objects.requireNonNullElse(title, "");
        }
    }

    /** EPR's {@code getCategories}: packages per category, policy templates counted too when asked. */
    public static List<CategoryCount> categories(List<Match> matches, boolean includePolicyTemplates) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Match m : matches) {
            PackageDocument p = m.document();
            List<String> pkgCategories = p.categories == null ? List.of() : p.categories;
            for (String c : pkgCategories) {
                counts.merge(c, 1, Integer::sum);
            }
            if (includePolicyTemplates && p.policyTemplates != null) {
                List<String> extra = new ArrayList<>();
                for (PolicyTemplate t : p.policyTemplates) {
                    if (t.categories == null && p.policyTemplates.size() == 1) {
                        break;
                    }
                    for (String c : pkgCategories) {
                        counts.merge(c, 1, Integer::sum);
                    }
                    if (t.categories != null) {
                        for (String c : t.categories) {
                            counts.putIfAbsent(c, 0);
                            if (!Categories.covers(pkgCategories, c) && !extra.contains(c)) {
                                extra.add(c);
                                counts.merge(c, 1, Integer::sum);
                            }
                            counts.merge(c, 1, Integer::sum);
                        }
                    }
                }
            }
        }
        List<CategoryCount> result = new ArrayList<>();
        for (Map.Entry<String, Integer> e : new TreeMap<>(counts).entrySet()) {
            var known = Categories.get(e.getKey());
            String title = known.map(Categories.Category::title).orElse(e.getKey());
            String parent = known.map(Categories.Category::parent).orElse(null);
            String parentTitle = parent == null ? null : Categories.get(parent).map(Categories.Category::title).orElse(null);
            result.add(new CategoryCount(e.getKey(), title, e.getValue(), parent, parentTitle));
        }
        return result;
    }
}
