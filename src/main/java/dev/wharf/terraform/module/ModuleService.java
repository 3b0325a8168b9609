package dev.wharf.terraform.module;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.BlobSink;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Manifest;
import dev.wharf.terraform.StoredFile;
import dev.wharf.terraform.TerraformNames;
import dev.wharf.terraform.Version;
import dev.wharf.terraform.layout.ArchiveFormat;
import dev.wharf.terraform.layout.TerraformLayout;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The module registry protocol over storage: which versions exist, and where a version's archive is. */
public final class ModuleService {
    private final ArtifactStore store;
    private final TerraformLayout layout;
    private final ArchiveFormat assumedFormat;
    // The versions answer per repository, for the tag list it was built from: a caching store hands
    // out the same list object until it changes, and then the same answer object goes back to the
    // web layer, whose ready answer built from it holds as long as isCurrent says so.
    // Keyed by the address as asked, so that a repeat skips the name checks too: only addresses
    // that passed them are ever put here.
    private final Cache<ModuleAddress, Listing> listings = Caffeine.newBuilder().maximumSize(10_000).recordStats().build();

    private record Listing(String repository, List<String> tags, List<String> versions) {
        boolean current(ArtifactStore store) {
            return store.isCurrentTagList(repository, tags);
        }
    }

    /** The caches by name, for their hit, miss and size metrics. */
    public java.util.Map<String, Cache<?, ?>> caches() {
        return java.util.Map.of("module_listings", listings);
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

    /** Every version of a module, highest first; NOT_FOUND when there is none. The same object while the tags are the same. */
    public List<String> versions(ModuleAddress module) {
        Listing known = listings.getIfPresent(module);
        if (known != null && known.current(store)) {
            return known.versions();
        }
        check(module);
        String repository = layout.moduleRepository(module.namespace(), module.name(), module.provider());
        List<String> tags = store.listTags(repository);
        List<String> versions = new ArrayList<>();
        for (String tag : tags) {
            layout.moduleVersion(module.namespace(), module.name(), module.provider(), tag)
                    .filter(v -> Version.tryParse(v).isPresent())
                    .ifPresent(versions::add);
        }
        if (versions.isEmpty()) {
            throw new ModuleException(ModuleException.Reason.NOT_FOUND, "module " + module + " not found");
        }
        List<String> answer = List.copyOf(Version.sortDescending(versions));
        listings.put(module, new Listing(repository, tags, answer));
        return answer;
    }

    /**
     * Whether {@code answer}, an earlier {@link #versions} of this module, is still what it would
     * return, told from memory alone (false when that would need storage): never waits, so a
     * network thread may ask.
     */
    public boolean isCurrent(ModuleAddress module, List<String> answer) {
        Listing known = listings.getIfPresent(module);
        return known != null && known.versions() == answer && known.current(store);
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

    /** Streams the file's blob into {@code sink}, checked against its digest ({@link ArtifactStore#copyBlob}). */
    public void copy(StoredFile file, BlobSink sink) throws IOException {
        store.copyBlob(file.repository(), file.layer().digest(), sink);
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
