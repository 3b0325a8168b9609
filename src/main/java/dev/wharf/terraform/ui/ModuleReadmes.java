package dev.wharf.terraform.ui;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.http.ui.ReadmeRenderer;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.terraform.StoredFile;
import dev.wharf.terraform.module.ArchiveRefusals;
import dev.wharf.terraform.module.ModuleAddress;
import dev.wharf.terraform.module.ModuleService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Each module version's README as sanitised HTML, read from its archive once: versions are never
 * overwritten, so the answer (also "there is none") holds for good. A refusal (a README too large, a
 * hostile archive) holds as long ({@link ArchiveRefusals}), so a page view does not inflate the archive
 * up to the limit again each time. A failure to read is not kept, so a storage hiccup is not
 * remembered as a missing README.
 */
public final class ModuleReadmes {
    private static final long CACHE_CHARACTERS = 64L << 20;

    private final ModuleService modules;
    private final ReadmeRenderer renderer = new ReadmeRenderer();
    private final Cache<Key, Optional<String>> rendered = Caffeine.newBuilder().maximumWeight(CACHE_CHARACTERS)
            .<Key, Optional<String>>weigher((key, html) -> 64 + html.map(String::length).orElse(0)).build();
    private final ArchiveRefusals refusals = new ArchiveRefusals();

    private record Key(ModuleAddress module, String version) {
    }

    public ModuleReadmes(ModuleService modules) {
        this.modules = modules;
    }

    /** The README of this version as sanitised HTML, or empty when its archive has none. */
    public Optional<String> html(ModuleAddress module, String version) {
        return rendered.get(new Key(module, version), key -> read(module, version).map(renderer::html));
    }

    private Optional<String> read(ModuleAddress module, String version) {
        StoredFile archive = modules.archive(module, version);
        long allowed = ArchiveLimits.DEFAULT.allowedFor(archive.layer().size());
        try {
            return refusals.read(archive, () -> {
                try (InputStream in = modules.open(archive)) {
                    return ReadmeExtractor.read(in, archive.fileName().endsWith(".zip"), allowed);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the archive of " + module + " " + version + ": " + e.getMessage(), e);
        }
    }
}
