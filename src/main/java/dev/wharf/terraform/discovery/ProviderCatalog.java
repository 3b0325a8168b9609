package dev.wharf.terraform.discovery;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.Generation;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.provider.ProviderAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Which providers the store holds, for pages that list them: the repositories
 * {@code {providers}/{namespace}/{name}} (a namespace's own repository holds its signing keys and
 * is not a provider). Answered from memory and rebuilt in the background once {@code ttl} old, like
 * {@link ModuleCatalog}'s snapshot. Whether a listed provider has a complete version is
 * {@link dev.wharf.terraform.provider.ProviderService}'s to say.
 */
public final class ProviderCatalog {
    private final ArtifactStore store;
    private final TerraformLayout layout;
    private final SnapshotCache<List<ProviderAddress>> addresses;

    public ProviderCatalog(ArtifactStore store, TerraformLayout layout, Duration ttl) {
        this(store, layout, ttl, Ticker.systemTicker(), ForkJoinPool.commonPool());
    }

    /** As {@link ModuleCatalog#ModuleCatalog(ArtifactStore, TerraformLayout, dev.wharf.terraform.module.ModuleService, Duration, Ticker, Executor)}. */
    public ProviderCatalog(ArtifactStore store, TerraformLayout layout, Duration ttl, Ticker ticker, Executor rebuilder) {
        this.store = store;
        this.layout = layout;
        this.addresses = new SnapshotCache<>("the provider catalog", this::build, ttl, ticker, rebuilder);
    }

    /** Every provider repository, by namespace and name. UNSUPPORTED (a StorageException) when the registry lists none. */
    public List<ProviderAddress> list() {
        return addresses.get().value();
    }

    /** As {@link ModuleCatalog#generation()}. */
    public Generation generation() {
        return addresses.get().generation();
    }

    /** As {@link ModuleCatalog#isCurrent(Generation)}. */
    public boolean isCurrent(Generation generation) {
        return addresses.isCurrent(generation);
    }

    private List<ProviderAddress> build() {
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
    }
}
