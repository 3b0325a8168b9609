package dev.wharf.epr.fs;

import dev.wharf.epr.index.Resource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A file on disk as a {@link Resource}. */
final class FileResources {
    private FileResources() {
    }

    static Optional<Resource> of(Path file) throws IOException {
        if (file == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(Resource.ofLocalFile(file));
    }
}
