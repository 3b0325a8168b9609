package dev.wharf.epr.search;

import dev.wharf.epr.model.Discovery;
import dev.wharf.epr.model.LooseVersion;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What {@code /search} and {@code /categories} were asked for, parsed. Nulls mean "not asked". */
public record Filter(
        boolean allVersions,
        @Nullable String category,
        boolean prerelease,
        @Nullable LooseVersion kibanaVersion,
        @Nullable String packageName,
        @Nullable String packageVersion,
        @Nullable String packageType,
        @Nullable List<String> capabilities,
        @Nullable LooseVersion specMin,
        @Nullable LooseVersion specMax,
        List<DiscoveryFilter> discovery,
        @Nullable LooseVersion agentVersion,
        boolean experimental) {

    /** Every version of every package, prereleases too; of one {@code type} when it is given. */
    public static Filter everything(@Nullable String type) {
        return new Filter(true, null, true, null, null, null, type, null, null, null, List.of(), null, false);
    }

    public static Filter exact(String name, String version) {
        return new Filter(true, null, true, null, name, version, null, null, null, null, List.of(), null, true);
    }

    /** One {@code discovery=fields:a,b} or {@code discovery=datasets:x,y} parameter. */
    public record DiscoveryFilter(List<Discovery.Named> fields, List<Discovery.Named> datasets) {
        public static DiscoveryFilter parse(String text) {
            int colon = text.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("could not parse filter \"" + text + "\"");
            }
            String type = text.substring(0, colon);
            List<Discovery.Named> args = java.util.Arrays.stream(text.substring(colon + 1).split(",", -1))
                    .map(Discovery.Named::new).toList();
            return switch (type) {
                case "fields" -> new DiscoveryFilter(args, List.of());
                case "datasets" -> new DiscoveryFilter(List.of(), args);
                default -> throw new IllegalArgumentException("unknown discovery filter \"" + type + "\"");
            };
        }

        boolean matches(@Nullable Discovery d) {
            if (!fields.isEmpty()) {
                if (d == null || d.fields == null || d.fields.isEmpty() || !fields.containsAll(d.fields)) {
                    return false;
                }
            }
            if (!datasets.isEmpty()) {
                if (d == null || d.datasets == null || d.datasets.stream().noneMatch(datasets::contains)) {
                    return false;
                }
            }
            return true;
        }
    }
}
