package dev.wharf.epr.index;

import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.FileChunks;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Content to stream to a client: its length when known up front (-1 otherwise), how to read it
 * chunk by chunk (so a server writes each chunk without waiting for the client to take it), when
 * the content is a whole file on disk, where that file is ({@code null} otherwise), so a server
 * can send the file without reading it through the heap, and what identifies this content to a
 * client that already holds a copy ({@link Stamp}).
 */
public record Resource(long size, Reader reader, @Nullable Location location, Stamp stamp) {
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

    /**
     * What tells a client's copy of the content from another: its digest, when the content is a blob
     * named by one (the same on every replica), and when it was last changed, when its source says
     * (a file's or a zip entry's time, as EPR gives it). Either may be unknown ({@code null}); with
     * neither ({@link #NONE}) the content is answered whole whatever a request's conditions say.
     */
    public record Stamp(@Nullable String digest, @Nullable Instant modified) {
        public static final Stamp NONE = new Stamp(null, null);

        public static Stamp ofDigest(@Nullable String digest) {
            return new Stamp(digest, null);
        }

        public static Stamp ofTime(@Nullable Instant modified) {
            return new Stamp(null, modified);
        }
    }

    public Resource(long size, Reader reader) {
        this(size, reader, null, Stamp.NONE);
    }

    public Resource(long size, Reader reader, @Nullable Location location) {
        this(size, reader, location, Stamp.NONE);
    }

    /** A whole file of {@code size} bytes. */
    public static Resource ofFile(Path file, long size) {
        return new Resource(size, () -> FileChunks.trusted(FileChannel.open(file, StandardOpenOption.READ)), () -> file);
    }

    /** A file of its own on disk, served as it is now: its size and its modification time read here. */
    public static Resource ofLocalFile(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return ofFile(file, attributes.size()).stamped(Stamp.ofTime(attributes.lastModifiedTime().toInstant()));
    }

    public Resource stamped(Stamp stamp) {
        return new Resource(size, reader, location, stamp);
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
