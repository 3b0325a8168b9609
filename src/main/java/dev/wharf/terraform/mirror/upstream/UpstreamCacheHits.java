package dev.wharf.terraform.mirror.upstream;

import dev.wharf.terraform.mirror.MirrorCoordinates;

/** Told when {@link CachedUpstreamSource} answers from its cache instead of asking the upstream. */
public interface UpstreamCacheHits {
    UpstreamCacheHits NONE = new UpstreamCacheHits() {
    };

    default void versions(MirrorCoordinates provider) {
    }

    default void packageFor(MirrorCoordinates provider, String version, String os, String arch) {
    }

    default void signedSums(UpstreamPackage pkg) {
    }
}
