package dev.wharf.cli.epr;

import dev.wharf.epr.proxy.ProxyMode;
import dev.wharf.epr.proxy.PullThrough;
import dev.wharf.epr.upstream.UpstreamEpr;
import dev.wharf.epr.upstream.UpstreamPackageCopy;
import dev.wharf.epr.publish.PackagePublisher;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code -feature-proxy-mode} with its upstream, and Wharf's {@code -oci-pull-through}. */
public final class ProxyModeOptions {
    @Option(names = {"-feature-proxy-mode", "--feature-proxy-mode"}, arity = "0..1", fallbackValue = "true",
            description = "Enable proxy mode to include packages from other endpoint (technical preview).")
    boolean enabled;
    @Option(names = {"-oci-pull-through", "--oci-pull-through"}, arity = "0..1", fallbackValue = "true",
            description = "With -feature-proxy-mode and -feature-oci-indexer: a package version asked for and not yet in the OCI repository is copied from -proxy-to into it (checked against -verification-key when given), then served from the repository.")
    boolean pullThrough;
    @Mixin
    UpstreamOptions upstream = new UpstreamOptions();

    /** How to copy into the OCI repository and read it again, for pull-through. */
    record PullThroughTarget(PackagePublisher publisher, long maxPackageBytes, Path workDir, Runnable reindex) {
    }

    /** Throws {@link IllegalArgumentException} with the flag's problem. */
    Optional<ProxyMode> open(Optional<PullThroughTarget> target) {
        if (!enabled) {
            if (pullThrough) {
                throw new IllegalArgumentException("-oci-pull-through needs -feature-proxy-mode (and -proxy-to)");
            }
            return Optional.empty();
        }
        UpstreamEpr client = upstream.client();
        Optional<PullThrough> pull = Optional.empty();
        if (pullThrough) {
            PullThroughTarget t = target.orElseThrow(() -> new IllegalArgumentException(
                    "-oci-pull-through needs -feature-oci-indexer: packages are copied into the OCI repository"));
            pull = Optional.of(new PullThrough(new UpstreamPackageCopy(client, t.publisher(), upstream.signatureCheck(),
                    t.maxPackageBytes(), t.workDir()), t.reindex()));
        } else if (upstream.verificationKey != null) {
            throw new IllegalArgumentException("-verification-key is used with -oci-pull-through (proxy mode alone redirects to the upstream's files)");
        }
        return Optional.of(new ProxyMode(client, pull));
    }
}
