package dev.wharf.epr.pkg;

import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.archive.EntryNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * A package zipped as EPR's archiver does, built a step at a time as it is read: every file under
 * one {@code {name}-{version}/} folder, directories first, in a stable order so the same folder
 * always gives the same bytes, every entry name passing the shared rule ({@link EntryNames}). Each
 * {@link #next} zips only until about one chunk is ready, so a server can send a folder package
 * without a thread blocked in a zip writer while the client reads, and without the zip in memory.
 */
public final class PackageZipChunks implements ChunkSource {
    private static final FileTime EPOCH = FileTime.fromMillis(315532800000L);
    private static final int CHUNK = 64 * 1024;

    private final PackageFiles files;
    private final String rootFolder;
    private final Deque<String> directories = new ArrayDeque<>();
    private final Deque<String> entries = new ArrayDeque<>();
    private final Output buffer = new Output();
    private final ZipOutputStream zip = new ZipOutputStream(buffer);
    private final byte[] copy = new byte[CHUNK];
    private @Nullable InputStream entry;
    private boolean finished;
    private final boolean ownsFiles;

    private PackageZipChunks(PackageFiles files, String rootFolder, boolean ownsFiles) {
        this.files = files;
        this.ownsFiles = ownsFiles;
        this.rootFolder = rootFolder;
        directories.add(rootFolder + "/");
        files.directories().stream().sorted().forEach(d -> directories.add(rootFolder + "/" + d + "/"));
        files.files().stream().sorted(PackageReader.ASSET_ORDER).forEach(entries::add);
    }

    /** Takes {@code files} over: closing the chunks closes them. */
    public static PackageZipChunks owning(PackageFiles files, String rootFolder) {
        return new PackageZipChunks(files, rootFolder, true);
    }

    /** Leaves {@code files} to the caller, who closes them. */
    public static PackageZipChunks borrowing(PackageFiles files, String rootFolder) {
        return new PackageZipChunks(files, rootFolder, false);
    }

    @Override
    public @Nullable ByteBuffer next() throws IOException {
        buffer.reset();
        while (buffer.size() < CHUNK && !finished) {
            step();
        }
        return buffer.size() == 0 ? null : buffer.chunk();
    }

    /** Zips one more piece: a directory, the start or a chunk of a file, or the central directory. */
    private void step() throws IOException {
        InputStream in = entry;
        if (in != null) {
            int n = in.read(copy);
            if (n >= 0) {
                zip.write(copy, 0, n);
                return;
            }
            in.close();
            entry = null;
            zip.closeEntry();
            return;
        }
        String directory = directories.poll();
        if (directory != null) {
            zip.putNextEntry(entry(directory));
            zip.closeEntry();
            return;
        }
        String file = entries.poll();
        if (file != null) {
            zip.putNextEntry(entry(rootFolder + "/" + file));
            entry = files.open(file);
            return;
        }
        zip.finish();
        finished = true;
    }

    private static ZipEntry entry(String name) {
        ZipEntry e = new ZipEntry(EntryNames.check(name));
        e.setLastModifiedTime(EPOCH);
        return e;
    }

    @Override
    public void close() throws IOException {
        try {
            if (entry != null) {
                entry.close();
            }
        } finally {
            if (ownsFiles) {
                files.close();
            }
        }
    }

    /** Where the zip is written between two chunks; its array is handed out as the chunk, no copy. */
    private static final class Output extends ByteArrayOutputStream {
        Output() {
            super(2 * CHUNK);
        }

        ByteBuffer chunk() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }
}
