package dev.wharf.epr.oci;

import dev.wharf.epr.index.IndexerException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;

/**
 * One process per {@code -oci-cache-dir}. Each replica prunes the zips its own index no longer
 * names and rewrites its index file; two replicas sharing the folder would delete each other's
 * fresh downloads between refreshes. So the second refuses to start, with the reason, instead of
 * failing later at random. The lock is the operating system's (released when the process ends,
 * SIGKILL included), so a crash never leaves the folder locked.
 */
public final class CacheDirectoryLock implements AutoCloseable {
    private static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private CacheDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static CacheDirectoryLock acquire(Path cacheDir) throws IndexerException {
        Path file = cacheDir.resolve(FILE);
        FileChannel channel = null;
        try {
            Files.createDirectories(cacheDir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
                channel.close();
                throw new IndexerException("the cache directory " + cacheDir + " is in use by another package-registry"
                        + (holder.isEmpty() ? "" : " (process " + holder + ")")
                        + "; give every replica its own -oci-cache-dir (the cache is per process, the registry is what they share)");
            }
            channel.truncate(0);
            channel.write(java.nio.ByteBuffer.wrap(String.valueOf(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
            return new CacheDirectoryLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new IndexerException("cannot lock the cache directory " + cacheDir + ": " + e.getMessage(), e);
        }
    }

    private static @Nullable FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // Held by this very JVM (another indexer in the same process).
            return null;
        }
    }

    private static void closeQuietly(@Nullable FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Already failing with the first error.
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // The channel's close below releases it as well.
        }
        closeQuietly(channel);
    }
}
