package dev.wharf.terraform.mirror.upstream;

import java.util.List;

/** One version an upstream registry lists for a provider, with its platforms ({@code linux_amd64}). */
public record UpstreamVersion(String version, List<String> protocols, List<String> platforms) {
    public UpstreamVersion {
        protocols = protocols == null ? List.of() : List.copyOf(protocols);
        platforms = List.copyOf(platforms);
    }
}
