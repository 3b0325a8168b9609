package dev.wharf.epr.oci;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.wharf.epr.model.Json;
import dev.wharf.oci.Leftovers;
import dev.wharf.oci.OwnedFile;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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

    private static final String PART_PREFIX = "index-";
    private static final String PART_SUFFIX = ".json.part";

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
        forgetUnfinished();
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
        try (OwnedFile tmp = OwnedFile.create(cacheDir.resolve(OwnedFile.uniqueName(PART_PREFIX, PART_SUFFIX)))) {
            try {
                // Through the locked descriptor, left open: closing any descriptor of it would drop the lock.
                OutputStream out = new BufferedOutputStream(tmp.out(), 1 << 16);
                Json.mapper().writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, index);
                out.flush();
                Files.move(tmp.path(), file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp.path());
            }
        } catch (IOException e) {
            LOG.warn("cannot persist the index to {}: {}", file, e.getMessage());
        }
    }

    /** Index files a process was killed while writing (up to tens of MB each), never one being written. */
    private void forgetUnfinished() {
        try {
            Leftovers.Removed removed = Leftovers.files(cacheDir, PART_PREFIX, PART_SUFFIX);
            if (!removed.isEmpty()) {
                LOG.info("removed {} index file(s) left half-written in {} by a process that was killed", removed.paths().size(), cacheDir);
            }
        } catch (IOException e) {
            LOG.debug("cannot look for half-written index files in {}: {}", cacheDir, e.getMessage());
        }
    }

    Path path() {
        return cacheDir.resolve("index.json");
    }
}
