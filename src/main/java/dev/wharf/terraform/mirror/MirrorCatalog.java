package dev.wharf.terraform.mirror;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ConcurrentLookups;
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
 * whole view is kept for {@code ttl}, like the module and provider lists. The page that finds it
 * old waits for the listing, so the providers' tag lists are read a few at a time, as the module
 * catalog's are.
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
    private final ConcurrentLookups listings = new ConcurrentLookups("wharf-mirror-catalog", 8);

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
        List<MirrorCoordinates> providers = new ArrayList<>();
        for (String repository : store.listRepositories(prefix)) {
            String[] parts = repository.substring(prefix.length()).split("/");
            // HOST/NAMESPACE is the namespace's signing keys, not a provider.
            if (parts.length != 3) {
                continue;
            }
            try {
                providers.add(new MirrorCoordinates(parts[0], parts[1], parts[2]));
            } catch (IllegalArgumentException e) {
                // Not a name the mirror protocol could ask for: not one of its providers.
            }
        }
        List<List<StoredArchive>> archives = listings.map(providers, storage::archives);
        Map<String, List<MirroredProvider>> byHost = new TreeMap<>();
        for (int i = 0; i < providers.size(); i++) {
            Map<String, TreeSet<String>> platforms = new TreeMap<>();
            for (StoredArchive archive : archives.get(i)) {
                platforms.computeIfAbsent(archive.version(), v -> new TreeSet<>()).add(archive.platform());
            }
            if (platforms.isEmpty()) {
                continue;
            }
            List<MirroredVersion> versions = new ArrayList<>();
            for (String version : Version.sortDescending(new ArrayList<>(platforms.keySet()))) {
                versions.add(new MirroredVersion(version, List.copyOf(platforms.get(version))));
            }
            MirrorCoordinates provider = providers.get(i);
            byHost.computeIfAbsent(provider.hostname(), h -> new ArrayList<>()).add(new MirroredProvider(provider, List.copyOf(versions)));
        }
        List<MirroredHost> found = new ArrayList<>();
        byHost.forEach((host, held) -> found.add(new MirroredHost(host, List.copyOf(held))));
        return List.copyOf(found);
    }
}
