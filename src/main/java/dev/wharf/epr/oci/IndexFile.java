package dev.wharf.epr.oci;

import dev.wharf.epr.model.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code index.json} in the cache directory: the index as the last successful refresh left it,
 * written whole to a temporary file and renamed, so a restart reads either the old or the new one.
 * A file written for another source, or in a format this version cannot read, is ignored.
 */
final class IndexFile {
    private static final Logger LOG = LoggerFactory.getLogger(IndexFile.class);

    private final Path cacheDir;
    private final String source;

    /** @param source the store and repository the index belongs to, as {@link PersistedIndex#source()} holds it */
    IndexFile(Path cacheDir, String source) {
        this.cacheDir = cacheDir;
        this.source = source;
    }

    String source() {
        return source;
    }

    Optional<PersistedIndex> read() {
        Path file = path();
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            PersistedIndex p = Json.mapper().readValue(file.toFile(), PersistedIndex.class);
            if (p.format() < PersistedIndex.OLDEST_READABLE_FORMAT || p.format() > PersistedIndex.FORMAT
                    || !source.equals(p.source())) {
                LOG.info("ignoring the index persisted in {}: it was written for {} (format {})", file, p.source(), p.format());
                return Optional.empty();
            }
            return Optional.of(p);
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring the unreadable index persisted in {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Writes the index; a failure is logged, not thrown: the index served stays right, only a restart costs more. */
    void write(PersistedIndex index) {
        Path file = path();
        try {
            Path tmp = Files.createTempFile(cacheDir, "index-", ".json.part");
            try {
                Json.mapper().writeValue(tmp.toFile(), index);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            LOG.warn("cannot persist the index to {}: {}", file, e.getMessage());
        }
    }

    Path path() {
        return cacheDir.resolve("index.json");
    }
}
