package dev.wharf.epr.proxy;

import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.search.PackageSearch.CategoryCount;
import dev.wharf.epr.upstream.UpstreamEpr;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code -feature-proxy-mode}: what this registry answers is joined with an upstream registry's
 * answers, as EPR 1.40 joins them ({@link ProxyMerge}); a package only the upstream has is
 * described from the upstream's answer and its files are redirects to the upstream, unless
 * {@link PullThrough} copies it into the OCI repository first.
 */
public final class ProxyMode {
    private final UpstreamEpr upstream;
    private final Optional<PullThrough> pullThrough;

    public ProxyMode(UpstreamEpr upstream, Optional<PullThrough> pullThrough) {
        this.upstream = upstream;
        this.pullThrough = pullThrough;
    }

    public List<PackageDocument> search(List<PackageDocument> local, @Nullable String rawQuery, boolean allVersions) {
        return ProxyMerge.search(local, upstream.search(rawQuery), allVersions);
    }

    public List<CategoryCount> categories(List<CategoryCount> local, @Nullable String rawQuery) {
        return ProxyMerge.categories(local, upstream.categories(rawQuery));
    }

    /** The upstream's description of a version this registry lacks; empty when the upstream lacks it too. */
    public Optional<PackageDocument> remotePackage(String name, String version) {
        return upstream.packageInfo(name, version);
    }

    /** With pull-through: copies the version into the repository (true) or finds the upstream lacks it (false). */
    public Optional<PullThrough> pullThrough() {
        return pullThrough;
    }

    /** Where EPR's resolver sends a client for a proxied zip or signature: {@code /epr/package/…}, as EPR writes it. */
    public URI artifact(String name, String version, boolean signature) {
        return upstream.resolve("/epr/package/" + name + "-" + version + ".zip" + (signature ? ".sig" : ""));
    }

    public URI file(String name, String version, String file) {
        return upstream.resolve("/package/" + name + "/" + version + "/" + file);
    }
}
