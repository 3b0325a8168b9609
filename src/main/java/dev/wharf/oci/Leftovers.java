package dev.wharf.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds and removes what Wharf processes that were killed left behind: {@link ScratchFolder}s and
 * {@link OwnedFile}s whose lock nobody holds any more. A file or folder is removed only when its name
 * has the owned form, carries another process's mark, and its lock can be taken; so a file in use, by
 * any process on the machine, stays, and so does anything Wharf did not name (older versions' files
 * included).
 */
public final class Leftovers {
    /** A mark of letters alone would also match the prefix's words: matched whole, the pattern finds where it starts. */
    private static final Pattern SCRATCH_NAME = OwnedFile.names(ScratchFolder.PREFIX.pattern(), "");

    private Leftovers() {
    }

    /** What a sweep removed: how many files or folders, their bytes, and their paths. */
    public record Removed(List<Path> paths, long bytes) {
        public static final Removed NONE = new Removed(List.of(), 0);

        public Removed {
            paths = List.copyOf(paths);
        }

        public Removed plus(Removed other) {
            List<Path> all = new ArrayList<>(paths);
            all.addAll(other.paths);
            return new Removed(all, bytes + other.bytes);
        }

        public boolean isEmpty() {
            return paths.isEmpty();
        }
    }

    /** Scratch folders ({@code wharf-<job>-<mark>-<number>}) in {@code parent} whose process is gone. */
    public static Removed scratchFolders(Path parent) throws IOException {
        List<Path> removed = new ArrayList<>();
        long bytes = 0;
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(parent, othersNamed(SCRATCH_NAME))) {
            for (Path folder : folders) {
                if (Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                    long size = removeIfAbandoned(folder.resolve(ScratchFolder.OWNER), () -> {
                        long total = size(folder);
                        ScratchFolder.deleteTree(folder);
                        return total;
                    });
                    if (size >= 0) {
                        removed.add(folder);
                        bytes += size;
                    }
                }
            }
        }
        return new Removed(removed, bytes);
    }

    /** Owned files named {@code prefix<mark>-<number>suffix} in {@code folder} whose process is gone. */
    public static Removed files(Path folder, String prefix, String suffix) throws IOException {
        List<Path> removed = new ArrayList<>();
        long bytes = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, othersNamed(OwnedFile.names(Pattern.quote(prefix), suffix)))) {
            for (Path file : files) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    long size = removeIfAbandoned(file, () -> {
                        long total = Files.size(file);
                        Files.delete(file);
                        return total;
                    });
                    if (size >= 0) {
                        removed.add(file);
                        bytes += size;
                    }
                }
            }
        } catch (NoSuchFileException gone) {
            return Removed.NONE;
        }
        return new Removed(removed, bytes);
    }

    /** Removes what a lock guards and says how many bytes that freed. */
    private interface Removal {
        long run() throws IOException;
    }

    /**
     * Takes the lock of {@code lockFile} and, holding it, runs {@code removal}; -1 when the lock is
     * held (its process lives) or the file went meanwhile (its process removed it). The file is
     * another process's (its mark says so), so closing this descriptor cannot drop a lock of this process.
     */
    private static long removeIfAbandoned(Path lockFile, Removal removal) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException gone) {
            return -1;  // removed by its owner meanwhile, or a crash came before the owner file
        }
        try (channel) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException ownedHere) {
                return -1;
            }
            if (lock == null) {
                return -1;  // its process is alive
            }
            try {
                return removal.run();
            } catch (NoSuchFileException gone) {
                return -1;
            }
        }
    }

    private static long size(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.mapToLong(p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    return a.isRegularFile() ? a.size() : 0;
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    /** The entries of the form of {@code names} that carry another process's mark. */
    private static DirectoryStream.Filter<Path> othersNamed(Pattern names) {
        return entry -> OwnedFile.isOthers(names, entry.getFileName().toString());
    }
}
