package dev.wharf.epr.index;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Content to stream to a client: its length when known up front (-1 otherwise), how to write it,
 * and, when the content is a whole file on disk, where that file is ({@code null} otherwise), so a
 * server can send the file without reading it through the heap.
 */
public record Resource(long size, Writer writer, @Nullable Location location) {
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Finds the file, fetching it first when it has to. */
    @FunctionalInterface
    public interface Location {
        Path get() throws IOException;
    }

    public Resource(long size, Writer writer) {
        this(size, writer, null);
    }

    public void writeTo(OutputStream out) throws IOException {
        writer.writeTo(out);
    }

    /** The file whose every byte is this content, if it is one. */
    public Optional<Path> file() throws IOException {
        return location == null ? Optional.empty() : Optional.of(location.get());
    }
}
