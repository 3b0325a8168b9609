package dev.wharf.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A private folder under the JVM's temporary directory ({@code java.io.tmpdir}) for files that live as
 * long as one job (an upload being checked, a server's pulls), removed with everything in it when the
 * job closes it. A server that made one per start and never removed it left an empty folder in /tmp
 * for every restart.
 */
public final class ScratchFolder implements AutoCloseable {
    private final Path path;

    private ScratchFolder(Path path) {
        this.path = path;
    }

    /** A new folder whose name starts with {@code prefix} ({@code wharf-mirror-}). */
    public static ScratchFolder create(String prefix) {
        try {
            return new ScratchFolder(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder (" + prefix + "…) in "
                    + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    /** Removes the folder and what is left in it. */
    @Override
    public void close() {
        deleteTree(path);
    }

    /**
     * Removes {@code folder} and everything under it, as far as it can: a file that cannot be removed
     * (another process holds it, the disk went read-only) is left for the system's temporary-file
     * cleaner rather than failing a job that has done its work.
     */
    public static void deleteTree(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Left for the temporary-file cleaner, as above.
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // The folder is gone already, or cannot be listed: nothing more this can do.
        }
    }
}
