package dev.wharf.cli;

import dev.wharf.oci.Leftovers;
import dev.wharf.oci.layout.ImageLayoutStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;

/**
 * At a server's start, on a thread of its own, removes what Wharf processes that were killed left
 * behind (see {@link dev.wharf.oci.OwnedFile}): their scratch folders in {@code java.io.tmpdir} (a
 * publish's spooled body, up to {@code --publish-max-size}) and, with the embedded store, the
 * half-written blobs in its layout. The layout is walked whole, so this never holds up the start.
 */
public final class LeftoverSweep {
    private static final int PATHS_NAMED = 5;

    private final Path temporaryFolder;
    private final Optional<Path> layout;
    private final Logger log;

    public LeftoverSweep(Path temporaryFolder, Optional<Path> layout, Logger log) {
        this.temporaryFolder = temporaryFolder;
        this.layout = layout;
        this.log = log;
    }

    /** The JVM's temporary folder and, with the embedded store, its layout. */
    public static LeftoverSweep of(Optional<Path> layout, Logger log) {
        return new LeftoverSweep(Path.of(System.getProperty("java.io.tmpdir")), layout, log);
    }

    /** Runs {@link #run()} on a daemon thread and returns at once. */
    public Thread inBackground() {
        Thread thread = new Thread(this::run, "wharf-leftovers");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
        return thread;
    }

    /** Removes what it finds and says so in one line; what it cannot read is a warning, never a failure. */
    public Leftovers.Removed run() {
        Leftovers.Removed removed = Leftovers.Removed.NONE;
        try {
            removed = removed.plus(Leftovers.scratchFolders(temporaryFolder));
        } catch (IOException | RuntimeException e) {
            log.warn("cannot look for the scratch folders of stopped Wharf processes in {}: {}", temporaryFolder, e.toString());
        }
        if (layout.isPresent()) {
            try {
                removed = removed.plus(new ImageLayoutStore(layout.get()).removeLeftovers());
            } catch (IOException | RuntimeException e) {
                log.warn("cannot look for half-written blobs in {}: {}", layout.get(), e.toString());
            }
        }
        if (!removed.isEmpty()) {
            log.info("removed {} file(s) or folder(s), {} MB, left by Wharf processes that were killed while writing them: {}{}",
                    removed.paths().size(), String.format(Locale.ROOT, "%.1f", removed.bytes() / 1e6),
                    removed.paths().stream().limit(PATHS_NAMED).map(Path::toString).collect(Collectors.joining(", ")),
                    removed.paths().size() > PATHS_NAMED ? ", …" : "");
        }
        return removed;
    }
}
