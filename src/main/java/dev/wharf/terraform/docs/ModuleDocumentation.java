package dev.wharf.terraform.docs;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.terraform.StoredFile;
import dev.wharf.terraform.module.ArchiveRefusals;
import dev.wharf.terraform.module.ModuleAddress;
import dev.wharf.terraform.module.ModuleService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Each module version's documentation, read from its archive once: versions are never
 * overwritten, so the answer holds for good and serves the read API and the UI alike. An archive the
 * rules refuse is refused as long ({@link ArchiveRefusals}), so a view does not inflate it up to
 * the limit again each time. A failure to read (a storage hiccup) is not kept.
 */
public final class ModuleDocumentation {
    private static final long CACHE_BYTES = 64L << 20;

    private final ModuleService modules;
    private final ArchiveLimits limits;
    private final Cache<Key, ArchiveDocs> read = Caffeine.newBuilder().maximumWeight(CACHE_BYTES).recordStats()
            .<Key, ArchiveDocs>weigher((key, docs) -> (int) Math.min(Integer.MAX_VALUE, weight(docs))).build();
    private final ArchiveRefusals refusals = new ArchiveRefusals();

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
        try {
            return refusals.read(archive, () -> {
                try (InputStream in = modules.open(archive)) {
                    return ArchiveDocsExtractor.read(in, archive.fileName().endsWith(".zip"), limits.allowedFor(archive.layer().size()));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the archive of " + module + " " + version + ": " + e.getMessage(), e);
        }
    }

    /**
     * Roughly the bytes the documentation holds: every string it keeps and a fixed cost for each
     * item. It counted only types, descriptions and defaults, so a publisher's module of 1.5 million
     * notes ({@code variable {}} lines) or a {@code required_version} of a megabyte weighed next to
     * nothing, and a few dozen such versions viewed once could fill the heap past the cache's bound.
     */
    static long weight(ArchiveDocs docs) {
        List<ModuleDocs> all = new ArrayList<>(docs.submodules());
        all.add(docs.root());
        long total = 256;
        for (ModuleDocs m : all) {
            total += ITEM * (m.inputs().size() + m.outputs().size() + m.resources().size() + m.providers().size() + m.moduleCalls().size()
                    + m.notes().size() + m.requiredCore().size()) + m.path().length();
            for (ModuleDocs.Input input : m.inputs()) {
                total += input.name().length() + length(input.type()) + length(input.description()) + input.defaultValue().toString().length();
            }
            for (ModuleDocs.Output output : m.outputs()) {
                total += output.name().length() + length(output.description());
            }
            for (ModuleDocs.Resource resource : m.resources()) {
                total += resource.type().length() + resource.name().length() + resource.provider().length();
            }
            for (ModuleDocs.ProviderRequirement provider : m.providers()) {
                total += provider.name().length() + length(provider.source()) + lengths(provider.versionConstraints()) + lengths(provider.aliases());
            }
            for (ModuleDocs.ModuleCall call : m.moduleCalls()) {
                total += call.name().length() + call.source().length() + length(call.version());
            }
            total += lengths(m.noteTexts()) + lengths(m.requiredCore());
        }
        // Two bytes a character: Java's strings outside Latin-1.
        return 2 * total;
    }

    private static final long ITEM = 128;

    private static long length(Optional<String> text) {
        return text.map(String::length).orElse(0);
    }

    private static long lengths(List<String> texts) {
        long n = 0;
        for (String t : texts) {
            n += t.length();
        }
        return n;
    }
}
