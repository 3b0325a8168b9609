package dev.wharf.terraform.provider;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.Generation;
import dev.wharf.oci.Generations;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.Stamped;
import dev.wharf.oci.cache.CacheChecks;
import dev.wharf.terraform.Version;
import dev.wharf.terraform.layout.ProviderFile;
import dev.wharf.terraform.layout.ProviderFile.Kind;
import dev.wharf.terraform.layout.ProviderFile.Platform;
import dev.wharf.terraform.layout.TerraformLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The versions answer of each provider, built from its tag list and kept with that list's
 * generation. A version is listed once its SHA256SUMS and signature are stored: uploads push those
 * last, so a half-finished upload stays invisible.
 */
final class ProviderListings {
    private final ArtifactStore store;
    private final TerraformLayout layout;
    private final Generations generations;
    // The versions answer per provider, with the generation of the tag list it was built from. Tags
    // of provider files never change meaning, so the same tags mean the same answer; without this
    // every request looked up one SHA256SUMS manifest per version (bench/RESULTS.md, figure 1).
    // Keyed by the address as asked: a repeat skips the name checks as well (only checked addresses get in).
    private final Cache<ProviderAddress, Listing> listings = Caffeine.newBuilder().maximumSize(10_000).recordStats().build();

    private record Listing(String repository, Generation tags, Stamped<List<ProviderVersion>> answer) {
        boolean current(ArtifactStore store) {
            return store.isCurrentTagList(repository, tags);
        }
    }

    ProviderListings(ArtifactStore store, TerraformLayout layout, Generations generations) {
        this.store = store;
        this.layout = layout;
        this.generations = generations;
    }

    Cache<ProviderAddress, ?> cache() {
        return listings;
    }

    /** Every complete version, highest first. Its generation stays while the tag list keeps its generation. */
    Stamped<List<ProviderVersion>> versions(ProviderAddress provider) {
        Listing known = listings.getIfPresent(provider);
        if (known != null && known.current(store)) {
            return known.answer();
        }
        ProviderNames.check(provider);
        String repository = layout.providerRepository(provider.namespace(), provider.name());
        Stamped<List<String>> tags = store.listTagsStamped(repository);
        if (known != null && tags.generation().isCached() && tags.generation().equals(known.tags())) {
            // Read again after its cache entry expired, with the same tags: the same answer.
            return known.answer();
        }
        Map<String, Set<Kind>> kinds = new LinkedHashMap<>();
        Map<String, List<Platform>> platforms = new TreeMap<>();
        for (String tag : tags.value()) {
            Optional<ProviderFile> file = layout.providerFile(tag);
            if (file.isEmpty() || !file.get().name().equals(provider.name().toLowerCase(java.util.Locale.ROOT))
                    || Version.tryParse(file.get().version()).isEmpty()) {
                continue;
            }
            ProviderFile f = file.get();
            kinds.computeIfAbsent(f.version(), v -> EnumSet.noneOf(Kind.class)).add(f.kind());
            f.platform().ifPresent(p -> platforms.computeIfAbsent(f.version(), v -> new ArrayList<>()).add(p));
        }
        List<String> complete = new ArrayList<>();
        for (String version : Version.sortDescending(new ArrayList<>(kinds.keySet()))) {
            if (Objects.requireNonNull(kinds.get(version)).containsAll(EnumSet.of(Kind.ARCHIVE, Kind.SHA256SUMS, Kind.SIGNATURE))) {
                complete.add(version);
            }
        }
        // Versions and platforms are in the tag names. The protocols are an annotation that an upload
        // puts on the SHA256SUMS manifest only when the release has a _manifest.json, itself a tag:
        // so only those versions cost a lookup (the others announce 5.0), asked as one batch that a
        // store can answer from its cache or concurrently. Cold, 5 000 tags cost 834 requests
        // before, 1 now (bench/RESULTS.md, figure 3).
        List<String> declaring = complete.stream().filter(version -> Objects.requireNonNull(kinds.get(version)).contains(Kind.MANIFEST))
                .toList();
        List<Optional<Manifest>> sumsManifests = store.resolveAll(repository, declaring.stream()
                .map(version -> layout.providerTag(ProviderFile.sha256Sums(provider.name(), version))).toList());
        Map<String, List<String>> protocols = new LinkedHashMap<>();
        for (int i = 0; i < declaring.size(); i++) {
            protocols.put(declaring.get(i), sumsManifests.get(i).map(ReleaseProtocols::of).orElse(ReleaseProtocols.DEFAULT));
        }
        List<ProviderVersion> versions = new ArrayList<>();
        for (String version : complete) {
            List<Platform> list = new ArrayList<>(platforms.get(version));
            list.sort(Comparator.comparing(Platform::os).thenComparing(Platform::arch));
            versions.add(new ProviderVersion(version, protocols.getOrDefault(version, ReleaseProtocols.DEFAULT), list));
        }
        if (versions.isEmpty()) {
            throw new ProviderException(ProviderException.Reason.NOT_FOUND, "provider " + provider + " not found");
        }
        Stamped<List<ProviderVersion>> answer = new Stamped<>(List.copyOf(versions), generations.next());
        listings.put(provider, new Listing(repository, tags.generation(), answer));
        return answer;
    }

    /** Told from memory alone (false when that would need storage): never waits. */
    boolean isCurrent(ProviderAddress provider, Generation answer) {
        Listing known = CacheChecks.peek(listings, provider);
        return known != null && known.answer().generation().equals(answer) && known.current(store);
    }
}
