package dev.wharf.terraform.module;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Generation;
import dev.wharf.oci.Generations;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.Stamped;
import dev.wharf.oci.cache.CacheChecks;
import dev.wharf.terraform.StoredFile;
import dev.wharf.terraform.TerraformNames;
import dev.wharf.terraform.Version;
import dev.wharf.terraform.layout.ArchiveFormat;
import dev.wharf.terraform.layout.TerraformLayout;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The module registry protocol over storage: which versions exist, and where a version's archive is. */
public final class ModuleService {
    private final ArtifactStore store;
    private final TerraformLayout layout;
    private final ArchiveFormat assumedFormat;
    // The versions answer per module, with the generation of the tag list it was built from: the
    // web layer's ready answer holds while isCurrent says that generation is still the store's.
    // Keyed by the address as asked, so that a repeat skips the name checks too: only addresses
    // that passed them are ever put here.
    private final Cache<ModuleAddress, Listing> listings = Caffeine.newBuilder().maximumSize(10_000).recordStats().build();
    private final Generations generations = new Generations();
    // Versions are never overwritten, so what a version's manifest says about it holds for good.
    private final Cache<VersionKey, ModuleMetadata> metadata = Caffeine.newBuilder().maximumSize(10_000).recordStats().build();

    private record VersionKey(ModuleAddress module, String version) {
    }

    private record Listing(String repository, Generation tags, Stamped<List<String>> answer) {
        boolean current(ArtifactStore store) {
            return store.isCurrentTagList(repository, tags);
        }
    }

    /** The caches by name, for their hit, miss and size metrics. */
    public java.util.Map<String, Cache<?, ?>> caches() {
        return java.util.Map.of("module_listings", listings, "module_metadata", metadata);
    }

    public ModuleService(ArtifactStore store, TerraformLayout layout) {
        this(store, layout, ArchiveFormat.TAR_GZ);
    }

    /** @param assumedFormat the archive format of a module layer whose media type and title do not say */
    public ModuleService(ArtifactStore store, TerraformLayout layout, ArchiveFormat assumedFormat) {
        this.store = store;
        this.layout = layout;
        this.assumedFormat = assumedFormat;
    }

    /**
     * Every version of a module, highest first; NOT_FOUND when there is none. Its generation stays
     * the same while the tag list it was built from keeps its generation (the same tags).
     */
    public Stamped<List<String>> versions(ModuleAddress module) {
        Listing known = listings.getIfPresent(module);
        if (known != null && known.current(store)) {
            return known.answer();
        }
        check(module);
        String repository = layout.moduleRepository(module.namespace(), module.name(), module.provider());
        Stamped<List<String>> tags = store.listTagsStamped(repository);
        if (known != null && tags.generation().isCached() && tags.generation().equals(known.tags())) {
            // Read again after its cache entry expired, with the same tags: the same answer.
            return known.answer();
        }
        List<String> versions = new ArrayList<>();
        for (String tag : tags.value()) {
            layout.moduleVersion(module.namespace(), module.name(), module.provider(), tag)
                    .filter(v -> Version.tryParse(v).isPresent())
                    .ifPresent(versions::add);
        }
        if (versions.isEmpty()) {
            throw new ModuleException(ModuleException.Reason.NOT_FOUND, "module " + module + " not found");
        }
        Stamped<List<String>> answer = new Stamped<>(List.copyOf(Version.sortDescending(versions)), generations.next());
        listings.put(module, new Listing(repository, tags.generation(), answer));
        return answer;
    }

    /**
     * Whether the answer of this generation, an earlier {@link #versions} of this module, is still
     * what it would return, told from memory alone (false when that would need storage): never
     * waits, so a network thread may ask.
     */
    public boolean isCurrent(ModuleAddress module, Generation answer) {
        Listing known = CacheChecks.peek(listings, module);
        return known != null && known.answer().generation().equals(answer) && known.current(store);
    }

    /** The stored archive of one version; NOT_FOUND when that version is not there. */
    public StoredFile archive(ModuleAddress module, String version) {
        check(module);
        TerraformNames.checkVersion(version).ifPresent(this::badRequest);
        String repository = layout.moduleRepository(module.namespace(), module.name(), module.provider());
        String tag = layout.moduleTag(module.namespace(), module.name(), module.provider(), version);
        Manifest manifest = store.resolve(repository, tag).orElseThrow(() -> new ModuleException(
                ModuleException.Reason.NOT_FOUND, "module " + module + " has no version " + version));
        if (manifest.layers().isEmpty()) {
            throw new ModuleException(ModuleException.Reason.NOT_FOUND, "module " + module + " " + version
                    + " is stored without an archive layer");
        }
        Descriptor layer = manifest.layers().get(0);
        ArchiveFormat format = ArchiveFormat.ofLayer(layer.mediaType(), layer.title().orElse(null), assumedFormat);
        String fileName = module.namespace() + "-" + module.name() + "-" + module.provider() + "-" + version + "." + format.extension();
        return new StoredFile(repository, layer, fileName, format.contentType());
    }

    /**
     * What the stored version says about itself (its manifest's annotations); NOT_FOUND when that
     * version is not there. Read once per version: versions are never overwritten.
     */
    public ModuleMetadata metadata(ModuleAddress module, String version) {
        VersionKey key = new VersionKey(module, version);
        ModuleMetadata known = metadata.getIfPresent(key);
        if (known != null) {
            return known;
        }
        check(module);
        TerraformNames.checkVersion(version).ifPresent(this::badRequest);
        String repository = layout.moduleRepository(module.namespace(), module.name(), module.provider());
        Manifest manifest = store.resolve(repository, layout.moduleTag(module.namespace(), module.name(), module.provider(), version))
                .orElseThrow(() -> new ModuleException(ModuleException.Reason.NOT_FOUND, "module " + module + " has no version " + version));
        ModuleMetadata read = ModuleMetadata.of(manifest.annotations());
        metadata.put(key, read);
        return read;
    }

    /** The file's blob, read chunk by chunk and checked against its digest and size ({@link ArtifactStore#readBlob(String, dev.wharf.oci.Descriptor)}). */
    public ChunkSource read(StoredFile file) {
        return store.readBlob(file.repository(), file.layer());
    }

    /** Whether {@link #read} would hand out a file, which a Range can start anywhere in, told without opening it. */
    public boolean readsInParts(StoredFile file) {
        return store.readsBlobInParts(file.repository(), file.layer().digest());
    }

    /** The file's blob as a stream, checked against its digest at its end ({@link ArtifactStore#openBlob}). */
    public java.io.InputStream open(StoredFile file) {
        return store.openBlob(file.repository(), file.layer());
    }

    public Optional<URI> directUrl(StoredFile file) {
        return store.directBlobUrl(file.repository(), file.layer().digest());
    }

    private void check(ModuleAddress module) {
        TerraformNames.checkNamespace(module.namespace()).ifPresent(this::badRequest);
        TerraformNames.checkModuleName(module.name()).ifPresent(this::badRequest);
        TerraformNames.checkModuleProvider(module.provider()).ifPresent(this::badRequest);
    }

    private void badRequest(String message) {
        throw new ModuleException(ModuleException.Reason.BAD_REQUEST, message);
    }
}
