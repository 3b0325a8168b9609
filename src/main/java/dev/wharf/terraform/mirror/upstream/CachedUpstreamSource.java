package dev.wharf.terraform.mirror.upstream;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.terraform.mirror.MirrorCoordinates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code --network-mirror-pull-through-cache-*}: keeps the upstream's answers about versions, packages
 * and signed checksums for a time, bounded by an approximate size in megabytes, so that every
 * {@code terraform init} does not ask the upstream again. Archives are not cached here: once pulled
 * they are in storage. Failures are not cached.
 */
public final class CachedUpstreamSource implements UpstreamSource {
    private record VersionsKey(MirrorCoordinates provider) {
    }

    private record PackageKey(MirrorCoordinates provider, String version, String os, String arch) {
    }

    private record SumsKey(java.net.URI shasums, java.net.URI signature) {
    }

    private final UpstreamSource delegate;
    private final Cache<Object, Object> answers;
    private final UpstreamCacheHits hits;

    public CachedUpstreamSource(UpstreamSource delegate, Duration ttl, long maxMegabytes) {
        this(delegate, ttl, maxMegabytes, UpstreamCacheHits.NONE);
    }

    /** With {@code hits} told of every answer the cache gave (for boring-registry's cache-hit counters). */
    public CachedUpstreamSource(UpstreamSource delegate, Duration ttl, long maxMegabytes, UpstreamCacheHits hits) {
        this.delegate = delegate;
        this.hits = hits;
        this.answers = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumWeight(Math.max(1, maxMegabytes) * 1024 * 1024)
                .weigher((Object k, Object v) -> weight(v))
                .build();
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<UpstreamVersion> versions(MirrorCoordinates provider) {
        VersionsKey key = new VersionsKey(provider);
        Object cached = answers.getIfPresent(key);
        if (cached != null) {
            hits.versions(provider);
            return (List<UpstreamVersion>) cached;
        }
        return (List<UpstreamVersion>) answers.get(key, k -> delegate.versions(provider));
    }

    @Override
    public UpstreamPackage packageFor(MirrorCoordinates provider, String version, String os, String arch) {
        PackageKey key = new PackageKey(provider, version, os, arch);
        Object cached = answers.getIfPresent(key);
        if (cached != null) {
            hits.packageFor(provider, version, os, arch);
            return (UpstreamPackage) cached;
        }
        return (UpstreamPackage) answers.get(key, k -> delegate.packageFor(provider, version, os, arch));
    }

    @Override
    public VerifiedSums signedSums(UpstreamPackage pkg) {
        SumsKey key = new SumsKey(pkg.shasumsUrl(), pkg.shasumsSignatureUrl());
        Object cached = answers.getIfPresent(key);
        if (cached != null) {
            hits.signedSums(pkg);
            return (VerifiedSums) cached;
        }
        return (VerifiedSums) answers.get(key, k -> delegate.signedSums(pkg));
    }

    @Override
    public VerifiedRelease fetch(UpstreamPackage pkg, Path dir) {
        return delegate.fetch(pkg, dir);
    }

    private static int weight(Object value) {
        if (value instanceof VerifiedSums sums) {
            return sums.weight();
        }
        if (value instanceof UpstreamPackage pkg) {
            return 512 + pkg.signingKeysJson().length();
        }
        if (value instanceof List<?> versions) {
            int total = 64;
            for (Object v : versions) {
                UpstreamVersion version = (UpstreamVersion) v;
                total += 64 + version.version().length() + 24 * version.platforms().size();
            }
            return total;
        }
        return 256;
    }
}
