package dev.wharf.epr.index;

import dev.wharf.epr.model.Deprecation;
import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.model.Versions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** EPR shows the newest deprecated version's notice on every version of a package; this applies that. */
public final class Deprecations {
    private Deprecations() {
    }

    public static List<IndexedPackage> propagate(List<IndexedPackage> packages) {
        Map<String, IndexedPackage> newestDeprecated = new HashMap<>();
        for (IndexedPackage p : packages) {
            if (p.document().deprecated == null) {
                continue;
            }
            newestDeprecated.merge(p.name(), p, (a, b) -> Versions.compare(b.version(), a.version()) > 0 ? b : a);
        }
        List<IndexedPackage> result = new ArrayList<>(packages.size());
        for (IndexedPackage p : packages) {
            IndexedPackage source = newestDeprecated.get(p.name());
            if (source == null || source == p) {
                result.add(p);
                continue;
            }
            PackageDocument copy = p.copyOfDocument();
            Deprecation d = source.document().deprecated;
            copy.deprecated = d;
            result.add(p.withDocument(copy));
        }
        return List.copyOf(result);
    }
}
