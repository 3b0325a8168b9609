package dev.wharf.terraform.mirror;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.terraform.Version;
import dev.wharf.terraform.layout.TerraformLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the network mirror holds, for pages that show it: every origin host, its providers, their
 * stored versions (newest first) and the platforms of each. Only what is stored counts, never what
 * a pull-through upstream would offer. The repositories come from the store's listing, the archives
 * from {@link MirrorStorage#archives}, the same listing the mirror protocol answers from; the
 * whole view is kept for {@code ttl}, like the module and provider lists.
 */
public final class MirrorCatalog {
    /** One stored version and its platforms ({@code linux_amd64}), sorted. */
    public record MirroredVersion(String version, List<String> platforms) {
    }

    /** One provider with its stored versions, newest first. */
    public record MirroredProvider(MirrorCoordinates provider, List<MirroredVersion> versions) {
    }

    /** One origin host with its providers, by namespace and type. */
    public record MirroredHost(String hostname, List<MirroredProvider> providers) {
    }

    private final ArtifactStore store;
    private final TerraformLayout layout;
    private final MirrorStorage storage;
    private final Cache<String, List<MirroredHost>> hosts;

    public MirrorCatalog(ArtifactStore store, TerraformLayout layout, MirrorStorage storage, Duration ttl) {
        this.store = store;
        this.layout = layout;
        this.storage = storage;
        this.hosts = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(1).build();
    }

    /**
     * Every host with at least one stored archive, sorted by name. UNSUPPORTED (a
     * {@link dev.wharf.oci.StorageException}) when the registry lists no repositories.
     */
    public List<MirroredHost> hosts() {
        return hosts.get("all", all -> list());
    }

    private List<MirroredHost> list() {
        String prefix = layout.mirrorsPrefix();
        Map<String, List<MirroredProvider>> byHost = new TreeMap<>();
        for (String repository : store.listRepositories(prefix)) {
            String[] parts = repository.substring(prefix.length()).split("/");
            // HOST/NAMESPACE is the namespace's signing keys, not a provider.
            if (parts.length != 3) {
                continue;
            }
            MirrorCoordinates provider;
            try {
                provider = new MirrorCoordinates(parts[0], parts[1], parts[2]);
            } catch (IllegalArgumentException e) {
                continue;
            }
            Map<String, TreeSet<String>> platforms = new TreeMap<>();
            for (StoredArchive archive : storage.archives(provider)) {
                platforms.computeIfAbsent(archive.version(), v -> new TreeSet<>()).add(archive.platform());
            }
            if (platforms.isEmpty()) {
                continue;
            }
            List<MirroredVersion> versions = new ArrayList<>();
            for (String version : Version.sortDescending(new ArrayList<>(platforms.keySet()))) {
                versions.add(new MirroredVersion(version, List.copyOf(platforms.get(version))));
            }
            byHost.computeIfAbsent(provider.hostname(), h -> new ArrayList<>()).add(new MirroredProvider(provider, List.copyOf(versions)));
        }
        List<MirroredHost> found = new ArrayList<>();
        byHost.forEach((host, providers) -> found.add(new MirroredHost(host, List.copyOf(providers))));
        return List.copyOf(found);
    }
}
