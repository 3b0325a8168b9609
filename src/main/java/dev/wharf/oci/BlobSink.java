package dev.wharf.oci;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Where {@link ArtifactStore#copyBlob} puts a blob's content: chunk after chunk, in order. A write
 * takes every remaining byte of the chunk before it returns; the chunk is the store's again
 * afterwards, so a sink that wants to keep bytes copies them.
 */
@FunctionalInterface
public interface BlobSink {
    void write(ByteBuffer chunk) throws IOException;

    /** How much of a file is mapped at once: few mappings, yet well within a 32-bit buffer. */
    long MAP_WINDOW = 64L << 20;

    /**
     * Writes a whole file from memory-mapped windows, so its bytes go from the page cache to the
     * sink without a copy through the heap. For files whose content is already known to be right.
     */
    default void writeMapped(FileChannel file) throws IOException {
        long size = file.size();
        for (long at = 0; at < size; at += MAP_WINDOW) {
            write(file.map(FileChannel.MapMode.READ_ONLY, at, Math.min(MAP_WINDOW, size - at)));
        }
    }
}
