package dev.wharf.cli.boring;

import dev.wharf.http.TrustedCertificates;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.mirror.MirrorService;
import dev.wharf.terraform.mirror.MirrorStorage;
import dev.wharf.terraform.mirror.PullThrough;
import dev.wharf.terraform.mirror.upstream.CachedUpstreamSource;
import dev.wharf.terraform.mirror.upstream.HttpUpstreamRegistry;
import dev.wharf.terraform.mirror.upstream.OpenPgpSignatureCheck;
import dev.wharf.terraform.mirror.upstream.UpstreamHosts;
import dev.wharf.terraform.mirror.upstream.UpstreamSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Option;

/** The provider network mirror's flags of {@code server}, boring-registry's plus the upstream mapping. */
public final class MirrorOptions {
    @Option(names = "--network-mirror", arity = "0..1", defaultValue = "true", fallbackValue = "true",
            description = "Serve the provider network mirror under /v1/mirror/ (BORING_REGISTRY_NETWORK_MIRROR; default ${DEFAULT-VALUE}).")
    boolean enabled = true;

    @Option(names = "--network-mirror-pull-through", arity = "0..1", defaultValue = "false", fallbackValue = "true",
            description = "Fetch providers the mirror lacks from their upstream registry, verify and store them"
                    + " (BORING_REGISTRY_NETWORK_MIRROR_PULL_THROUGH; default ${DEFAULT-VALUE}).")
    boolean pullThrough;

    @Option(names = "--network-mirror-pull-through-cache-enabled", arity = "0..1", defaultValue = "false", fallbackValue = "true",
            description = "Keep the upstream's version lists and checksums in memory (BORING_REGISTRY_NETWORK_MIRROR_PULL_THROUGH_CACHE_ENABLED; default ${DEFAULT-VALUE}).")
    boolean cacheEnabled;

    @Option(names = "--network-mirror-pull-through-cache-ttl", defaultValue = "24h", converter = Durations.class,
            description = "How long upstream answers are kept: 30m, 24h, 1h30m (BORING_REGISTRY_NETWORK_MIRROR_PULL_THROUGH_CACHE_TTL; default ${DEFAULT-VALUE}).")
    Duration cacheTtl = Duration.ofHours(24);

    @Option(names = "--network-mirror-pull-through-cache-size", defaultValue = "16",
            description = "Size bound of that cache in MB (BORING_REGISTRY_NETWORK_MIRROR_PULL_THROUGH_CACHE_SIZE; default ${DEFAULT-VALUE}).")
    long cacheSizeMb = 16;

    @Option(names = "--network-mirror-upstream", split = ",", paramLabel = "HOSTNAME=URL",
            description = "Reach the upstream registry HOSTNAME at URL instead of https://HOSTNAME"
                    + " (a proxy or internal name), e.g. registry.example.test=https://10.0.0.5:8443. Repeatable (BORING_REGISTRY_NETWORK_MIRROR_UPSTREAM).")
    List<String> upstreams = new ArrayList<>();

    @Option(names = "--network-mirror-upstream-ca-file", split = ",", paramLabel = "PEM",
            description = "Also trust these CA certificates when talking to upstream registries; read again when they change"
                    + " (BORING_REGISTRY_NETWORK_MIRROR_UPSTREAM_CA_FILE).")
    List<Path> upstreamCaFiles = new ArrayList<>();

    @picocli.CommandLine.Mixin
    ArchiveLimitOptions archiveLimits = new ArchiveLimitOptions();

    public boolean enabled() {
        return enabled;
    }

    public boolean pullThrough() {
        return pullThrough;
    }

    /** The mirror over {@code store}, or empty with {@code --network-mirror=false}. */
    public Optional<MirrorService> build(ArtifactStore store, TerraformLayout layout, Path tempDir) {
        return build(store, layout, tempDir, dev.wharf.terraform.mirror.upstream.UpstreamCacheHits.NONE);
    }

    /** As above, with {@code hits} told of the pull-through cache's hits. */
    public Optional<MirrorService> build(ArtifactStore store, TerraformLayout layout, Path tempDir,
            dev.wharf.terraform.mirror.upstream.UpstreamCacheHits hits) {
        if (!enabled) {
            return Optional.empty();
        }
        MirrorStorage storage = new MirrorStorage(store, layout, tempDir);
        Optional<PullThrough> pull = Optional.empty();
        if (pullThrough) {
            Optional<SSLContext> trust = upstreamCaFiles.isEmpty() ? Optional.empty()
                    : Optional.of(TrustedCertificates.withExtra(upstreamCaFiles));
            UpstreamSource source = new HttpUpstreamRegistry(HttpUpstreamRegistry.client(trust, Duration.ofSeconds(10)),
                    UpstreamHosts.parse(upstreams), new OpenPgpSignatureCheck(), Duration.ofMinutes(5));
            if (cacheEnabled) {
                source = new CachedUpstreamSource(source, cacheTtl, cacheSizeMb, hits);
            }
            pull = Optional.of(new PullThrough(source, storage, tempDir, archiveLimits.inspector()));
        }
        return Optional.of(new MirrorService(storage, pull));
    }
}
