package dev.wharf.epr.ui;

import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.index.Indexer;
import dev.wharf.epr.search.Filter;
import dev.wharf.epr.search.PackageSearch;
import dev.wharf.epr.search.TextQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The index as the UI lists it: one entry per package name, its versions newest first, chosen by
 * the index's own search ({@link PackageSearch}) and a {@link TextQuery}. Works on the in-memory
 * snapshot only; the unfiltered listing is kept until the indexer publishes another snapshot.
 */
final class PackageListing {
    /** A package name and every version of it the listing holds, newest first. */
    record Entry(String name, List<IndexedPackage> versions) {
        IndexedPackage newest() {
            return versions.get(0);
        }
    }

    private record Grouped(List<IndexedPackage> from, List<Entry> entries, Map<String, Entry> byName) {
    }

    private final Indexer indexer;
    private volatile @Nullable Grouped all;

    PackageListing(Indexer indexer) {
        this.indexer = indexer;
    }

    /** The packages the query and type pick ({@code type} null: any); all of them when neither is given. */
    List<Entry> find(TextQuery query, @Nullable String type) {
        if (query.isEmpty() && type == null) {
            return all().entries();
        }
        List<IndexedPackage> found = PackageSearch.apply(indexer.packages(), Filter.everything(type)).stream()
                .map(PackageSearch.Match::pkg).filter(p -> query.matches(p.document())).toList();
        return group(found);
    }

    Optional<Entry> named(String name) {
        return Optional.ofNullable(all().byName().get(name));
    }

    /** The package types present in the index, for the type choice. */
    List<String> types() {
        return all().entries().stream().map(e -> e.newest().document().type).filter(t -> !t.isEmpty()).distinct().sorted().toList();
    }

    private Grouped all() {
        List<IndexedPackage> snapshot = indexer.packages();
        Grouped known = all;
        if (known != null && known.from() == snapshot) {
            return known;
        }
        List<Entry> entries = group(PackageSearch.apply(snapshot, Filter.everything(null)).stream().map(PackageSearch.Match::pkg).toList());
        Map<String, Entry> byName = new LinkedHashMap<>();
        entries.forEach(e -> byName.put(e.name(), e));
        Grouped fresh = new Grouped(snapshot, entries, byName);
        all = fresh;
        return fresh;
    }

    /** {@code sorted} is in the search's order (name, then version ascending); each entry lists its versions the other way round. */
    private static List<Entry> group(List<IndexedPackage> sorted) {
        Map<String, List<IndexedPackage>> byName = new LinkedHashMap<>();
        for (IndexedPackage p : sorted) {
            byName.computeIfAbsent(p.name(), n -> new ArrayList<>()).add(0, p);
        }
        List<Entry> entries = new ArrayList<>(byName.size());
        byName.forEach((name, versions) -> entries.add(new Entry(name, List.copyOf(versions))));
        return List.copyOf(entries);
    }
}
