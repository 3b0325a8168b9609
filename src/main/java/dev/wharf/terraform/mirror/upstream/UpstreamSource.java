package dev.wharf.terraform.mirror.upstream;

import dev.wharf.terraform.mirror.MirrorCoordinates;
import java.nio.file.Path;
import java.util.List;

/** What the pull-through mirror asks of the registry a provider comes from. */
public interface UpstreamSource {
    List<UpstreamVersion> versions(MirrorCoordinates provider);

    UpstreamPackage packageFor(MirrorCoordinates provider, String version, String os, String arch);

    /** The release's SHA256SUMS, its signature verified against the package's signing keys. */
    VerifiedSums signedSums(UpstreamPackage pkg);

    /** The package's zip in a temporary file in {@code dir}, checked against its signed SHA256SUMS. */
    VerifiedRelease fetch(UpstreamPackage pkg, Path dir);
}
