package dev.wharf.epr.index;

import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.FileChunks;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Content to stream to a client: its length when known up front (-1 otherwise), how to read it
 * chunk by chunk (so a server writes each chunk without waiting for the client to take it), and,
 * when the content is a whole file on disk, where that file is ({@code null} otherwise), so a server
 * can send the file without reading it through the heap.
 */
public record Resource(long size, Reader reader, @Nullable Location location) {
    /** Chunks read from files and zip entries: large enough for few writes, small enough for many clients. */
    public static final int CHUNK = 64 * 1024;

    @FunctionalInterface
    public interface Reader {
        ChunkSource open() throws IOException;
    }

    /** Finds the file, fetching it first when it has to. */
    @FunctionalInterface
    public interface Location {
        Path get() throws IOException;
    }

    public Resource(long size, Reader reader) {
        this(size, reader, null);
    }

    /** A whole file of {@code size} bytes. */
    public static Resource ofFile(Path file, long size) {
        return new Resource(size, () -> FileChunks.trusted(FileChannel.open(file, StandardOpenOption.READ)), () -> file);
    }

    public ChunkSource open() throws IOException {
        return reader.open();
    }

    /** Writes the whole content into {@code out} (blocking: for callers that are not serving a client). */
    public void writeTo(OutputStream out) throws IOException {
        open().drainTo(chunk -> {
            byte[] bytes = new byte[chunk.remaining()];
            chunk.get(bytes);
            out.write(bytes);
        });
    }

    /** The file whose every byte is this content, if it is one. */
    public Optional<Path> file() throws IOException {
        return location == null ? Optional.empty() : Optional.of(location.get());
    }
}
