package dev.wharf.terraform.ui;

import dev.wharf.oci.archive.ArchiveRefusedException;
import dev.wharf.oci.archive.EntryNames;
import dev.wharf.oci.archive.StreamedArchive;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.ArchiveEntry;

/**
 * The README at the root of a module archive (tar.gz or zip), read as the archive streams by: the
 * reading stops at the README, and never holds more than {@link #MAX_README_BYTES} of it. Entry
 * names follow {@link EntryNames}; a tar.gz or zip may inflate no further than {@code maxInflatedBytes}
 * before its README turns up (the archive rules' limit for its size), entries passed over included,
 * so a gzip or zip bomb costs little.
 */
final class ReadmeExtractor {
    static final int MAX_README_BYTES = 512 * 1024;
    private static final Set<String> NAMES = Set.of("readme.md", "readme.markdown", "readme");

    private ReadmeExtractor() {
    }

    /** The README's text, or empty when the archive has none at its root. */
    static Optional<String> read(InputStream archive, boolean zip, long maxInflatedBytes) throws IOException {
        try (StreamedArchive entries = StreamedArchive.open(archive, zip, maxInflatedBytes, "before its README")) {
            for (ArchiveEntry entry = entries.next(); entry != null; entry = entries.next()) {
                String name = EntryNames.check(entry.getName());
                String bare = name.startsWith("./") ? name.substring(2) : name;
                if (!entry.isDirectory() && NAMES.contains(bare.toLowerCase(Locale.ROOT))) {
                    return Optional.of(readCapped(entries.data(), name));
                }
            }
        }
        return Optional.empty();
    }

    private static String readCapped(InputStream entry, String name) throws IOException {
        byte[] text = entry.readNBytes(MAX_README_BYTES + 1);
        if (text.length > MAX_README_BYTES) {
            throw new ArchiveRefusedException("'" + EntryNames.printable(name) + "' is larger than " + MAX_README_BYTES
                    + " bytes, more than a README page shows");
        }
        return new String(text, StandardCharsets.UTF_8);
    }
}
