package dev.wharf.terraform.discovery;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ConcurrentLookups;
import dev.wharf.oci.Generation;
import dev.wharf.oci.Stamped;
import dev.wharf.oci.StorageException;
import dev.wharf.terraform.TerraformNames;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.module.ModuleAddress;
import dev.wharf.terraform.module.ModuleException;
import dev.wharf.terraform.module.ModuleMetadata;
import dev.wharf.terraform.module.ModuleService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Which modules exist, for the registry's discovery API: the module repositories the store lists
 * (the registry's catalog, or the flat layout's one tag list), each with its newest version and
 * what that version's manifest says about it. The module protocol itself never needs this list.
 *
 * <p>Lists and searches are answered from memory: a snapshot of every module with its newest version
 * and metadata, built once and rebuilt in the background once it is {@code ttl} old (like tag
 * lists), so a module published elsewhere shows up within that time and no request waits for a
 * round trip per module. The request that finds the snapshot old still gets it, and starts the
 * rebuild. Versions and metadata come from {@link ModuleService}, whose caches the protocol answers
 * share. A repository without a valid version tag (an empty or foreign one) is left out of every list.
 *
 * <p>A rebuild lists every module's tags again (they are as old as the snapshot), a few at a time:
 * one after the other, 1 020 modules took 3.4–5.1 s against docker-registry on the same machine and
 * 16 s with 10 ms added to each request, so a registry 30 ms away would need more than the default
 * 30 s TTL for one rebuild (bench/RESULTS.md, session 18).
 */
public final class ModuleCatalog {
    private static final Comparator<ModuleAddress> ORDER = Comparator.comparing(ModuleAddress::namespace)
            .thenComparing(ModuleAddress::name).thenComparing(ModuleAddress::provider);

    private final ArtifactStore store;
    private final TerraformLayout layout;
    private final ModuleService modules;
    private final SnapshotCache<Snapshot> snapshot;
    // As many in flight as the store's own lookups (RegistryArtifactStore.resolveAll).
    private final ConcurrentLookups listings = new ConcurrentLookups("wharf-module-catalog", 8);

    /** Every module repository, and those with a valid version at their newest, both in {@link #ORDER}. */
    private record Snapshot(List<ModuleAddress> addresses, List<ModuleSummary> newest) {
    }

    public ModuleCatalog(ArtifactStore store, TerraformLayout layout, ModuleService modules, Duration ttl) {
        this(store, layout, modules, ttl, Ticker.systemTicker(), ForkJoinPool.commonPool());
    }

    /**
     * @param ticker    the clock the snapshot's age is read from
     * @param rebuilder where an old snapshot is rebuilt, away from the request that found it old
     */
    public ModuleCatalog(ArtifactStore store, TerraformLayout layout, ModuleService modules, Duration ttl, Ticker ticker, Executor rebuilder) {
        this.store = store;
        this.layout = layout;
        this.modules = modules;
        this.snapshot = new SnapshotCache<>("the module catalog", this::build, ttl, ticker, rebuilder);
    }

    /**
     * The generation of the snapshot lists and searches are answered from; take it before building
     * something from them, and ask {@link #isCurrent} later. UNSUPPORTED as {@link #list}.
     */
    public Generation generation() {
        return snapshot.get().generation();
    }

    /** Whether lists and searches still come from the snapshot of this generation, told from memory alone: never waits. */
    public boolean isCurrent(Generation generation) {
        return snapshot.isCurrent(generation);
    }

    /**
     * One page of the modules the query matches, each at its newest version, ordered by namespace,
     * name and provider. UNSUPPORTED (a {@link StorageException}) when the registry lists no
     * repositories.
     */
    public ModulePage list(ModuleQuery query) {
        if (query.verified()) {
            return new ModulePage(List.of(), query.offset(), query.limit(), false);
        }
        List<ModuleSummary> matching = new ArrayList<>();
        for (ModuleSummary summary : snapshot().newest()) {
            ModuleAddress module = summary.module();
            if (matches(query.namespace(), module.namespace()) && matches(query.name(), module.name())
                    && matches(query.provider(), module.provider()) && query.text().map(text -> contains(summary, text)).orElse(true)) {
                matching.add(summary);
            }
        }
        int from = Math.min(query.offset(), matching.size());
        int to = Math.min(from + query.limit(), matching.size());
        return new ModulePage(List.copyOf(matching.subList(from, to)), query.offset(), query.limit(), to < matching.size());
    }

    /**
     * One version of a module ({@code version} empty: the newest) with its other versions and the
     * providers its namespace/name is published for. NOT_FOUND (a {@link ModuleException}) when
     * the module or that version is not there.
     */
    public ModuleDetail detail(ModuleAddress module, Optional<String> version) {
        return checkedDetail(module, version).value();
    }

    /**
     * {@link #detail} with the check that it is still what {@code detail} would return, told from
     * memory alone: the module's version list and the catalog snapshot are the ones it came from
     * (a version's metadata never changes, as versions are never overwritten).
     */
    public Checked<ModuleDetail> checkedDetail(ModuleAddress module, Optional<String> version) {
        // A version that cannot be one is the asker's mistake (400), as on the download route, not a version not yet published.
        version.flatMap(TerraformNames::checkVersion).ifPresent(reason -> {
            throw new ModuleException(ModuleException.Reason.BAD_REQUEST, reason);
        });
        Optional<Generation> listed = listedGeneration();
        Stamped<List<String>> versions = modules.versions(module);
        String chosen = version.orElse(versions.value().get(0));
        if (!versions.value().contains(chosen)) {
            throw new ModuleException(ModuleException.Reason.NOT_FOUND, "module " + module + " has no version " + chosen);
        }
        ModuleMetadata metadata = modules.metadata(module, chosen);
        ModuleDetail detail = new ModuleDetail(new ModuleSummary(module, chosen, metadata), versions.value(), providers(module));
        return new Checked<>(detail, () -> listed.isPresent() && snapshot.isCurrent(listed.get())
                && modules.isCurrent(module, versions.generation()));
    }

    /** The snapshot's generation; empty when the registry lists no repositories. */
    private Optional<Generation> listedGeneration() {
        try {
            return Optional.of(generation());
        } catch (StorageException e) {
            if (e.kind() != StorageException.Kind.UNSUPPORTED) {
                throw e;
            }
            return Optional.empty();
        }
    }

    /** The providers a namespace/name is published for; just the one asked when the registry lists no repositories. */
    private List<String> providers(ModuleAddress module) {
        try {
            List<String> found = addresses().stream()
                    .filter(a -> a.namespace().equals(module.namespace()) && a.name().equals(module.name()))
                    .map(ModuleAddress::provider).sorted().toList();
            return found.isEmpty() ? List.of(module.provider()) : found;
        } catch (StorageException e) {
            if (e.kind() != StorageException.Kind.UNSUPPORTED) {
                throw e;
            }
            return List.of(module.provider());
        }
    }

    /** The namespaces that hold at least one module repository, sorted. */
    public List<String> namespaces() {
        return addresses().stream().map(ModuleAddress::namespace).distinct().toList();
    }

    private Optional<ModuleSummary> newest(ModuleAddress module) {
        try {
            String version = modules.versions(module).value().get(0);
            return Optional.of(new ModuleSummary(module, version, modules.metadata(module, version)));
        } catch (ModuleException e) {
            // No valid version under this repository (empty, or someone else's tags): not a module.
            return Optional.empty();
        }
    }

    private List<ModuleAddress> addresses() {
        return snapshot().addresses();
    }

    private Snapshot snapshot() {
        return snapshot.get().value();
    }

    private Snapshot build() {
        String prefix = layout.modulesPrefix();
        List<ModuleAddress> found = new ArrayList<>();
        for (String repository : store.listRepositories(prefix)) {
            String[] parts = repository.substring(prefix.length()).split("/");
            if (parts.length == 3 && Arrays.stream(parts).noneMatch(String::isEmpty)) {
                found.add(new ModuleAddress(parts[0], parts[1], parts[2]));
            }
        }
        found.sort(ORDER);
        List<ModuleSummary> newest = new ArrayList<>();
        for (Optional<ModuleSummary> summary : listings.map(found, this::newest)) {
            summary.ifPresent(newest::add);
        }
        return new Snapshot(List.copyOf(found), List.copyOf(newest));
    }

    private static boolean matches(Optional<String> wanted, String value) {
        return wanted.map(w -> w.equalsIgnoreCase(value)).orElse(true);
    }

    /** Every word of {@code text} in the namespace, name, provider or description. */
    private static boolean contains(ModuleSummary summary, String text) {
        String haystack = (summary.module().namespace() + " " + summary.module().name() + " " + summary.module().provider() + " "
                + summary.metadata().description().orElse("")).toLowerCase(Locale.ROOT);
        return Arrays.stream(text.split("\\s+")).allMatch(haystack::contains);
    }
}
