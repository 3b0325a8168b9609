package dev.wharf.terraform.docs;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.terraform.StoredFile;
import dev.wharf.terraform.module.ModuleAddress;
import dev.wharf.terraform.module.ModuleService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Each module version's documentation, read from its archive once: versions are never
 * overwritten, so the answer holds for good and serves the read API and the UI alike. A failure to
 * read (a storage hiccup, an archive the rules refuse) is not kept.
 */
public final class ModuleDocumentation {
    private static final long CACHE_CHARACTERS = 64L << 20;

    private final ModuleService modules;
    private final ArchiveLimits limits;
    private final Cache<Key, ArchiveDocs> read = Caffeine.newBuilder().maximumWeight(CACHE_CHARACTERS).recordStats()
            .<Key, ArchiveDocs>weigher((key, docs) -> weight(docs)).build();

    private record Key(ModuleAddress module, String version) {
    }

    public ModuleDocumentation(ModuleService modules, ArchiveLimits limits) {
        this.modules = modules;
        this.limits = limits;
    }

    /** The cache by name, for its hit, miss and size metrics. */
    public Map<String, Cache<?, ?>> caches() {
        return Map.of("module_documentation", read);
    }

    /**
     * This version's documentation.
     *
     * @throws dev.wharf.oci.archive.ArchiveRefusedException when its archive breaks the archive rules
     * @throws UncheckedIOException when its archive cannot be read
     */
    public ArchiveDocs of(ModuleAddress module, String version) {
        return read.get(new Key(module, version), key -> extract(module, version));
    }

    private ArchiveDocs extract(ModuleAddress module, String version) {
        StoredFile archive = modules.archive(module, version);
        try (InputStream in = modules.open(archive)) {
            return ArchiveDocsExtractor.read(in, archive.fileName().endsWith(".zip"), limits.allowedFor(archive.layer().size()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the archive of " + module + " " + version + ": " + e.getMessage(), e);
        }
    }

    /** Roughly the characters the documentation holds. */
    private static int weight(ArchiveDocs docs) {
        List<ModuleDocs> all = new ArrayList<>(docs.submodules());
        all.add(docs.root());
        long total = 256;
        for (ModuleDocs m : all) {
            total += 128L * (m.inputs().size() + m.outputs().size() + m.resources().size() + m.providers().size() + m.moduleCalls().size());
            for (ModuleDocs.Input input : m.inputs()) {
                total += input.type().map(String::length).orElse(0) + input.description().map(String::length).orElse(0)
                        + input.defaultValue().toString().length();
            }
            for (ModuleDocs.Output output : m.outputs()) {
                total += output.description().map(String::length).orElse(0);
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }
}
