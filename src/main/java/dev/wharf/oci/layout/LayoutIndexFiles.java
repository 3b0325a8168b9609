package dev.wharf.oci.layout;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.Leftovers;
import dev.wharf.oci.OwnedFile;
import dev.wharf.oci.RepositoryFullException;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.StorageException.Kind;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * Reads and writes the {@code index.json} of each layout below the root. Reads are cached while
 * the file stays the same; a write replaces the file by an atomic rename, so a reader in this or
 * another process sees the old index or the new one.
 */
final class LayoutIndexFiles {
    private static final String TEMP_PREFIX = ".index-";
    private static final String TEMP_SUFFIX = ".json";
    private final Path root;
    private final ObjectMapper json;
    private final LayoutIndex.Bounds bounds;
    private final ConcurrentHashMap<Path, CachedIndex> indexes = new ConcurrentHashMap<>();

    /** An index as read from disk, valid while the file is the same one (a rename gives a new inode). */
    private record CachedIndex(Object fileKey, long modified, long size, LayoutIndex index) {
    }

    LayoutIndexFiles(Path root, ObjectMapper json, LayoutIndex.Bounds bounds) {
        this.root = root;
        this.json = json;
        this.bounds = bounds;
    }

    /** The index to read from: shared with other readers, so never modified. */
    LayoutIndex read(Path layout) {
        Path file = LayoutPaths.index(layout);
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            CachedIndex cached = indexes.get(layout);
            long modified = attributes.lastModifiedTime().toMillis();
            if (cached != null && Objects.equals(cached.fileKey(), attributes.fileKey())
                    && cached.modified() == modified && cached.size() == attributes.size()) {
                return cached.index();
            }
            LayoutIndex index = parse(file);
            indexes.put(layout, new CachedIndex(attributes.fileKey(), modified, attributes.size(), index));
            return index;
        } catch (NoSuchFileException e) {
            requireNoFileInTheWay(layout);
            return LayoutIndex.empty();
        } catch (IOException e) {
            throw new StorageException(Kind.CORRUPT, "OCI layout " + layout + ": cannot read index.json: " + e.getMessage(), e);
        }
    }

    /**
     * A repository that was never pushed to has no index: that is an empty answer. A regular file
     * where a folder of the path should be is a broken store, and JDKs differ in whether they
     * report it as "no such file", so look before answering "empty".
     */
    private void requireNoFileInTheWay(Path layout) {
        for (Path p = layout; p != null && p.startsWith(root.getParent() == null ? root : root.getParent()); p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw new StorageException(Kind.CORRUPT, "OCI layout " + root + ": " + p + " is a file, not a folder");
            }
        }
    }

    /** A private copy to modify: the cached one is shared with readers. */
    LayoutIndex readFresh(Path layout) throws IOException {
        Path file = LayoutPaths.index(layout);
        try {
            return parse(file);
        } catch (NoSuchFileException e) {
            return LayoutIndex.empty();
        } catch (TooLarge e) {
            throw new StorageException(Kind.CORRUPT, "OCI layout " + layout + ": cannot read index.json: " + e.getMessage(), e);
        }
    }

    /** The index in {@code file}, refused past the byte bound before a byte of it is read. */
    private LayoutIndex parse(Path file) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            long size = channel.size();
            if (size > bounds.bytes()) {
                throw new TooLarge(file + " is " + size + " bytes, more than the " + bounds.size() + " Wharf reads of one repository's index.json");
            }
            // Bounded too, as the file may grow while it is read (another tool writing in place).
            InputStream in = BoundedInputStream.builder().setInputStream(Channels.newInputStream(channel))
                    .setMaxCount(bounds.bytes() + 1L).setOnMaxCount((max, count) -> {
                        throw new TooLarge(file + " grew past " + bounds.size() + " while it was read");
                    }).get();
            return LayoutIndex.parse(json, new BufferedInputStream(in, 64 << 10), bounds.entries());
        }
    }

    /** An index file over the bound: named with its path, as the message is all the reader gets. */
    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message);
        }
    }

    /**
     * Replaces the index; refused when Wharf could not read it back (past the bounds), as the repository's
     * every tag would then be unreadable: a {@link RepositoryFullException}, not a disk's refusal.
     */
    void write(Path layout, LayoutIndex index) throws IOException {
        Path target = LayoutPaths.index(layout);
        byte[] bytes = index.toBytes(json);
        Optional<String> beyond = index.beyondBounds(bytes, bounds);
        if (beyond.isPresent()) {
            throw new RepositoryFullException("OCI layout " + layout + ": index.json is left as it was", beyond.get());
        }
        // Owned, so that the one a process killed between the write and the rename left is swept (removeLeftovers).
        try (OwnedFile temp = OwnedFile.create(layout.resolve(OwnedFile.uniqueName(TEMP_PREFIX, TEMP_SUFFIX)))) {
            try {
                temp.out().write(bytes);
                temp.sync();
                AtomicRename.replace(temp.path(), target);
            } finally {
                Files.deleteIfExists(temp.path());
            }
        }
    }

    /** The temporary index files of {@code layout} that killed processes left. */
    static Leftovers.Removed removeLeftovers(Path layout) throws IOException {
        return Leftovers.files(layout, TEMP_PREFIX, TEMP_SUFFIX);
    }
}
