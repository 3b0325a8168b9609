package dev.wharf.epr.mirror;

import dev.wharf.epr.model.PackageNames;
import dev.wharf.epr.model.Versions;
import java.util.List;

/**
 * What {@code mirror} copies: for each Kibana version, the packages the upstream's {@code /search}
 * offers it ({@code all=true}, with {@code prerelease=true} when asked), the newest {@code versions}
 * of each, limited to {@code packages} when that is not empty.
 */
public record MirrorSelection(List<String> kibanaVersions, List<String> packages, int versions, boolean prerelease) {
    /**
     * Checked here, before the upstream is asked: a Kibana version it cannot read would come back as
     * the upstream's 400 after the first search, and an empty {@code -package} (an unset variable)
     * would have meant every package, a copy of the whole registry.
     */
    public MirrorSelection {
        if (kibanaVersions.isEmpty()) {
            throw new IllegalArgumentException("mirror needs at least one -kibana-version");
        }
        for (String kibana : kibanaVersions) {
            if (Versions.lenient(kibana).isEmpty()) {
                throw new IllegalArgumentException("-kibana-version '" + kibana + "' is not a version such as 8.14.0");
            }
        }
        for (String name : packages) {
            if (name.isEmpty()) {
                throw new IllegalArgumentException("-package names an empty package; name packages, or leave the flag out for every package");
            }
            if (!PackageNames.isValid(name)) {
                throw new IllegalArgumentException("-package '" + name + "' is not a package name (lower-case letters, digits and '_')");
            }
        }
        if (versions < 1) {
            throw new IllegalArgumentException("-versions must be 1 or more, not " + versions);
        }
        kibanaVersions = List.copyOf(kibanaVersions);
        packages = List.copyOf(packages);
    }

    /** The upstream's {@code /search} query for one Kibana version (and one package, when named). */
    String query(String kibanaVersion, String packageName) {
        StringBuilder q = new StringBuilder("kibana.version=").append(java.net.URLEncoder.encode(kibanaVersion, java.nio.charset.StandardCharsets.UTF_8))
                .append("&all=true");
        if (prerelease) {
            q.append("&prerelease=true");
        }
        if (!packageName.isEmpty()) {
            q.append("&package=").append(packageName);  // checked above: nothing to escape
        }
        return q.toString();
    }
}
