package dev.wharf.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A private folder under the JVM's temporary directory ({@code java.io.tmpdir}) for files that live as
 * long as one job (an upload being checked, a server's pulls), removed with everything in it when the
 * job closes it. A server that made one per start and never removed it left an empty folder in /tmp
 * for every restart.
 *
 * <p>Its name is {@code wharf-<job>-<process mark>-<number>}, and it holds a locked {@link #OWNER}
 * file ({@link OwnedFile}) while open, so that the folders of a process that was killed before it
 * could remove them (a 2 GB publish spooled when the OOM killer came) are found and removed by the
 * next server's start ({@link Leftovers#scratchFolders}), and a folder in use never is.
 */
public final class ScratchFolder implements AutoCloseable {
    /** The locked file inside every scratch folder. */
    static final String OWNER = ".owner";
    /** What every scratch folder's name starts with: {@code wharf-}, then words, each with a dash. */
    static final Pattern PREFIX = Pattern.compile("wharf-(?:[a-z]+-)+");

    private final Path path;
    private final OwnedFile owner;

    private ScratchFolder(Path path, OwnedFile owner) {
        this.path = path;
        this.owner = owner;
    }

    /** A new folder in {@code java.io.tmpdir} whose name starts with {@code prefix} ({@code wharf-mirror-}). */
    public static ScratchFolder create(String prefix) {
        return create(Path.of(System.getProperty("java.io.tmpdir")), prefix);
    }

    /** A new folder in {@code parent} whose name starts with {@code prefix}, which must match {@code wharf-(word-)+}. */
    public static ScratchFolder create(Path parent, String prefix) {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("a scratch folder's prefix is wharf-, words and dashes: " + prefix);
        }
        Path folder = null;
        try {
            folder = Files.createTempDirectory(parent, prefix + OwnedFile.PROCESS_MARK + "-");
            return new ScratchFolder(folder, OwnedFile.create(folder.resolve(OWNER)));
        } catch (IOException e) {
            if (folder != null) {
                deleteTree(folder);
            }
            throw new UncheckedIOException("cannot create a temporary folder (" + prefix + "…) in "
                    + parent + ": " + IoFailures.describe(e), e);
        }
    }

    public Path path() {
        return path;
    }

    /** Removes the folder and what is left in it, then lets the lock go. */
    @Override
    public void close() {
        deleteTree(path);
        try {
            owner.close();
        } catch (IOException ignored) {
            // The folder is gone; a lock on a removed file means nothing.
        }
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
