package dev.wharf.epr.ui;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.index.Resource;
import dev.wharf.http.ui.HtmlText;
import dev.wharf.http.ui.ReadmeRenderer;
import dev.wharf.oci.ChunkSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Each package version's {@code docs/README.md} as sanitised HTML, read through the same package
 * content that {@code /package/{name}/{version}/docs/README.md} streams, chunk by chunk and never
 * more than {@link #MAX_README_BYTES}. Kept per indexed package (by identity, so a package the
 * index replaces or drops is read afresh or forgotten); a failure to read is not kept.
 */
final class PackageReadmes {
    static final int MAX_README_BYTES = 512 * 1024;
    private static final String PATH = "docs/README.md";
    private static final long CACHE_CHARACTERS = 32L << 20;

    /** The rendered README, or why there is none to show. */
    record Readme(Optional<String> html, Optional<String> problem) {
        static Readme none() {
            return new Readme(Optional.empty(), Optional.empty());
        }
    }

    private final ReadmeRenderer renderer = new ReadmeRenderer();
    private final Cache<IndexedPackage, Readme> rendered = Caffeine.newBuilder().weakKeys().maximumWeight(CACHE_CHARACTERS)
            .<IndexedPackage, Readme>weigher((p, r) -> 64 + r.html().map(String::length).orElse(0)).build();

    /** Throws {@link UncheckedIOException} when the package's content cannot be read now. */
    Readme of(IndexedPackage p) {
        return rendered.get(p, this::read);
    }

    private Readme read(IndexedPackage p) {
        if (p.document().readme == null) {
            return Readme.none();
        }
        try {
            Optional<Resource> file = p.content().file(PATH);
            if (file.isEmpty()) {
                return Readme.none();
            }
            Optional<byte[]> text = capped(file.get());
            if (text.isEmpty()) {
                return new Readme(Optional.empty(), Optional.of("The README is larger than " + MAX_README_BYTES / 1024
                        + " KiB, more than a page shows; it is still at /package/" + p.name() + "/" + p.versionText() + "/" + PATH + "."));
            }
            // Relative screenshots and links name the package's files, served by the API under /package/NAME/VERSION/.
            String files = "/package/" + HtmlText.url(p.name()) + "/" + HtmlText.url(p.versionText());
            return new Readme(Optional.of(renderer.html(new String(text.get(), StandardCharsets.UTF_8), files)), Optional.empty());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + PATH + " of " + p.key() + ": " + e.getMessage(), e);
        }
    }

    /** The whole file, or empty when it is larger than the cap (reading stops there). */
    private static Optional<byte[]> capped(Resource file) throws IOException {
        if (file.size() > MAX_README_BYTES) {
            return Optional.empty();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(1024, Math.min(file.size(), MAX_README_BYTES)));
        try (ChunkSource chunks = file.open()) {
            for (ByteBuffer chunk = chunks.next(); chunk != null; chunk = chunks.next()) {
                if (out.size() + chunk.remaining() > MAX_README_BYTES) {
                    return Optional.empty();
                }
                byte[] bytes = new byte[chunk.remaining()];
                chunk.get(bytes);
                out.write(bytes);
            }
        }
        return Optional.of(out.toByteArray());
    }
}
