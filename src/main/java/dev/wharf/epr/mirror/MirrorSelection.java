package dev.wharf.epr.mirror;

import java.util.List;

/**
 * What {@code mirror} copies: for each Kibana version, the packages the upstream's {@code /search}
 * offers it ({@code all=true}, with {@code prerelease=true} when asked), the newest {@code versions}
 * of each, limited to {@code packages} when that is not empty.
 */
public record MirrorSelection(List<String> kibanaVersions, List<String> packages, int versions, boolean prerelease) {
    public MirrorSelection {
        if (kibanaVersions.isEmpty()) {
            throw new IllegalArgumentException("mirror needs at least one -kibana-version");
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
            q.append("&package=").append(packageName);
        }
        return q.toString();
    }
}
