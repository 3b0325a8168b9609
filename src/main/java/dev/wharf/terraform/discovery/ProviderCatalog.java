package dev.wharf.terraform.discovery;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.provider.ProviderAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Which providers the store holds, for pages that list them: the repositories
 * {@code {providers}/{namespace}/{name}} (a namespace's own repository holds its signing keys and
 * is not a provider). Kept for {@code ttl}, like the module list. Whether a listed provider has a
 * complete version is {@link dev.wharf.terraform.provider.ProviderService}'s to say.
 */
public final class ProviderCatalog {
    private final ArtifactStore store;
    private final TerraformLayout layout;
    private final Cache<String, List<ProviderAddress>> addresses;

    public ProviderCatalog(ArtifactStore store, TerraformLayout layout, Duration ttl) {
        this.store = store;
        this.layout = layout;
        this.addresses = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(1).build();
    }

    /** Every provider repository, by namespace and name. UNSUPPORTED (a StorageException) when the registry lists none. */
    public List<ProviderAddress> list() {
        return addresses.get("all", all -> {
            String prefix = layout.providersPrefix();
            List<ProviderAddress> found = new ArrayList<>();
            for (String repository : store.listRepositories(prefix)) {
                String[] parts = repository.substring(prefix.length()).split("/");
                if (parts.length == 2 && Arrays.stream(parts).noneMatch(String::isEmpty)) {
                    found.add(new ProviderAddress(parts[0], parts[1]));
                }
            }
            found.sort(Comparator.comparing(ProviderAddress::namespace).thenComparing(ProviderAddress::name));
            return List.copyOf(found);
        });
    }
}
