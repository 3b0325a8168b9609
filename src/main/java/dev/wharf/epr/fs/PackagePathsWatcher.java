package dev.wharf.epr.fs;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches package paths and calls back once they have been quiet for the debounce time after a
 * change: a zip being copied in sends many events, and only the last one counts. Every folder
 * under a path is watched, not only the path itself (where EPR's watcher stops), so that a new
 * {@code {name}/{version}/} folder under an existing name is seen too. Links are not followed,
 * as the indexer does not follow a link out of its path.
 */
final class PackagePathsWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PackagePathsWatcher.class);

    private final WatchService service;
    private final Map<WatchKey, Path> folders = new ConcurrentHashMap<>();
    private final Duration debounce;
    private final Runnable onChange;
    private final Thread thread;
    private volatile boolean closed;

    PackagePathsWatcher(List<Path> paths, Duration debounce, Runnable onChange) throws IOException {
        this.service = FileSystems.getDefault().newWatchService();
        this.debounce = debounce;
        this.onChange = onChange;
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                watchTree(path);
            } else {
                LOG.warn("package path {} is not a directory: not watched", path);
            }
        }
        this.thread = new Thread(this::run, "epr-package-paths-watcher");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void watchTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                folders.put(dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY), dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                LOG.warn("cannot watch {}: {}", file, e.getMessage());
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void run() {
        boolean pending = false;
        long deadline = 0;
        try {
            while (!closed) {
                WatchKey key = pending ? service.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS) : service.take();
                if (key == null) {
                    pending = false;
                    changed();
                    continue;
                }
                Path dir = folders.get(key);
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == ENTRY_CREATE && dir != null && event.context() instanceof Path name) {
                        Path created = dir.resolve(name);
                        if (Files.isDirectory(created, LinkOption.NOFOLLOW_LINKS)) {
                            watchNew(created);
                        }
                    } else if (event.kind() == OVERFLOW) {
                        LOG.debug("package path events overflowed: every path is read again");
                    }
                }
                if (!key.reset()) {
                    folders.remove(key);
                }
                pending = true;
                deadline = System.nanoTime() + debounce.toNanos();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ClosedWatchServiceException e) {
            // closed: the indexer stops.
        }
    }

    private void watchNew(Path created) {
        try {
            watchTree(created);
        } catch (IOException e) {
            LOG.warn("cannot watch {}: {}", created, e.getMessage());
        }
    }

    private void changed() {
        try {
            onChange.run();
        } catch (RuntimeException e) {
            LOG.error("re-reading the package paths after a change failed", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            service.close();
        } catch (IOException e) {
            LOG.debug("closing the package paths watcher: {}", e.getMessage());
        }
        thread.interrupt();
    }
}
