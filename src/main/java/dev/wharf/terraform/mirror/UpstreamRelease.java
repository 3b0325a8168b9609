package dev.wharf.terraform.mirror;

import dev.wharf.terraform.mirror.upstream.UpstreamException;
import dev.wharf.terraform.mirror.upstream.UpstreamPackage;
import dev.wharf.terraform.mirror.upstream.UpstreamSource;
import dev.wharf.terraform.mirror.upstream.VerifiedSums;
import org.jspecify.annotations.Nullable;

/**
 * One release's download answer and signed SHA256SUMS from upstream, for the span of one {@code {version}.json}
 * answer: its repair of lost sums and its listing of the upstream's platforms both need them, and the first answer,
 * a failure too, serves both rather than asking the upstream twice. Any platform's download answer names the
 * release's one SHA256SUMS. Not shared between requests or threads: {@code --network-mirror-pull-through-cache-*} is
 * the cache across requests.
 */
final class UpstreamRelease {
    /** A platform's download answer and the release's SHA256SUMS it names, their signature verified. */
    record Signed(UpstreamPackage pkg, VerifiedSums sums) {
    }

    private final UpstreamSource upstream;
    private final MirrorCoordinates provider;
    private final String version;
    private @Nullable Signed signed;
    private @Nullable UpstreamException failure;

    UpstreamRelease(UpstreamSource upstream, MirrorCoordinates provider, String version) {
        this.upstream = upstream;
        this.provider = provider;
        this.version = version;
    }

    /** Asked of the upstream through the platform {@code os}_{@code arch} the first time, remembered after. */
    Signed signed(String os, String arch) {
        Signed known = signed;
        if (known != null) {
            return known;
        }
        UpstreamException failed = failure;
        if (failed != null) {
            throw failed;
        }
        try {
            UpstreamPackage pkg = upstream.packageFor(provider, version, os, arch);
            known = new Signed(pkg, upstream.signedSums(pkg));
            signed = known;
            return known;
        } catch (UpstreamException e) {
            failure = e;
            throw e;
        }
    }
}
