package dev.wharf.oci;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Content to push. It can be opened more than once, so a store may hash it first, retry an upload
 * or skip it when the registry already has the blob. Large content comes from files: nothing here
 * asks for a whole artifact in memory.
 */
public interface BlobSource {
    InputStream open() throws IOException;

    long size() throws IOException;

    static BlobSource ofFile(Path file) {
        return new BlobSource() {
            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(file);
            }

            @Override
            public long size() throws IOException {
                return Files.size(file);
            }

            @Override
            public String toString() {
                return file.toString();
            }
        };
    }

    /** Small content only: configs, checksum files, signatures, key lists. */
    static BlobSource ofBytes(byte[] content) {
        byte[] copy = content.clone();
        return new BlobSource() {
            @Override
            public InputStream open() {
                return new ByteArrayInputStream(copy);
            }

            @Override
            public long size() {
                return copy.length;
            }
        };
    }
}
