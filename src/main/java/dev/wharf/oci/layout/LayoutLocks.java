package dev.wharf.oci.layout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises changes to one layout's index: a {@link ReentrantLock} for the threads of this JVM,
 * a file lock ({@code .wharf.lock}) for other processes on the same directory.
 */
final class LayoutLocks {
    private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(30);

    private final ConcurrentHashMap<Path, ReentrantLock> locks = new ConcurrentHashMap<>();

    interface LockedAction<T> {
        T run() throws IOException;
    }

    <T> T withLock(Path layout, LockedAction<T> action) throws IOException {
        ReentrantLock lock = locks.computeIfAbsent(layout, k -> new ReentrantLock());
        lock.lock();
        try (FileChannel channel = FileChannel.open(LayoutPaths.lockFile(layout),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = lockFile(channel, layout)) {
            return action.run();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            lock.unlock();
        }
    }

    /**
     * File locks belong to the whole JVM: a second store instance on the same directory in this
     * process sees {@link OverlappingFileLockException} instead of waiting, so wait for it here.
     */
    private static FileLock lockFile(FileChannel channel, Path layout) throws IOException {
        long deadline = System.nanoTime() + LOCK_TIMEOUT.toNanos();
        while (true) {
            try {
                return channel.lock();
            } catch (OverlappingFileLockException heldInThisJvm) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("timed out after " + LOCK_TIMEOUT.toSeconds() + " s waiting for the lock on " + layout);
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the lock on " + layout, e);
                }
            }
        }
    }
}
