package dev.wharf.oci.layout;

import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Digest;
import dev.wharf.oci.DigestVerifyingInputStream;
import dev.wharf.oci.FileChunks;
import dev.wharf.oci.Layer;
import dev.wharf.oci.Leftovers;
import dev.wharf.oci.OwnedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;

/**
 * The content-addressed blob files of a layout. A blob is written to a temporary file first and
 * renamed into place, so a reader never sees half a blob; what is read is checked against its digest.
 */
final class LayoutBlobFiles {
    private static final String UPLOAD_PREFIX = ".upload-";
    private static final String UPLOAD_SUFFIX = ".tmp";
    private static final byte[] OCI_LAYOUT = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);

    private final LayoutFailures failures;

    LayoutBlobFiles(LayoutFailures failures) {
        this.failures = failures;
    }

    InputStream open(String repository, Path layout, Digest digest) {
        Path blob = LayoutPaths.blob(layout, digest);
        try {
            return new DigestVerifyingInputStream(Files.newInputStream(blob), digest);
        } catch (NoSuchFileException e) {
            throw failures.blobNotFound(repository, digest);
        } catch (IOException e) {
            throw failures.ioFailure(repository, "open blob " + digest, e);
        }
    }

    /**
     * The blob file chunk by chunk ({@link FileChunks#checked}), read into the server's buffers so its
     * bytes reach the socket without a copy through the heap. Each chunk is hashed before it is handed
     * out, and the last one only once the whole file has matched its digest.
     */
    ChunkSource read(String repository, Path layout, Digest digest) {
        Path blob = LayoutPaths.blob(layout, digest);
        FileChannel channel;
        try {
            channel = FileChannel.open(blob, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw failures.blobNotFound(repository, digest);
        } catch (IOException e) {
            throw failures.ioFailure(repository, "open blob " + digest, e);
        }
        try {
            return FileChunks.checked(channel, digest);
        } catch (IOException e) {
            closeQuietly(channel);
            throw failures.ioFailure(repository, "read blob " + digest, e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing was read from it; the failure that matters is being reported.
        }
    }

    /** Creates the layout's folders and its {@code oci-layout} marker unless they are there. */
    void prepare(Path layout) throws IOException {
        Files.createDirectories(layout.resolve("blobs").resolve("sha256"));
        Path marker = layout.resolve("oci-layout");
        if (!Files.exists(marker)) {
            try {
                Files.write(marker, OCI_LAYOUT, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException raced) {
                // Another writer created it first: same content.
            }
        }
    }

    /**
     * Streams the layer to a temporary file, hashing as it goes; the digest names the file. The
     * temporary file is an {@link OwnedFile}: one left by a killed process is found by
     * {@link #removeLeftovers}, one being written never is.
     */
    Descriptor write(Path layout, Layer layer) throws IOException {
        Path dir = layout.resolve("blobs").resolve("sha256");
        try (OwnedFile temp = OwnedFile.create(dir.resolve(OwnedFile.uniqueName(UPLOAD_PREFIX, UPLOAD_SUFFIX)))) {
            try {
                MessageDigest sha256 = Digest.newSha256();
                long size;
                try (InputStream in = layer.content().open()) {
                    size = in.transferTo(new DigestOutputStream(temp.out(), sha256));
                }
                Digest digest = Digest.ofSha256(sha256);
                Path target = LayoutPaths.blob(layout, digest);
                if (!holds(target, size)) {
                    temp.sync();
                    AtomicRename.replace(temp.path(), target);
                }
                return new Descriptor(layer.mediaType(), digest, size, layer.annotations());
            } finally {
                Files.deleteIfExists(temp.path());
            }
        }
    }

    Digest write(Path layout, byte[] bytes) throws IOException {
        Digest digest = Digest.sha256(bytes);
        Path target = LayoutPaths.blob(layout, digest);
        if (!holds(target, bytes.length)) {
            try (OwnedFile temp = OwnedFile.create(target.resolveSibling(OwnedFile.uniqueName(UPLOAD_PREFIX, UPLOAD_SUFFIX)))) {
                try {
                    temp.out().write(bytes);
                    temp.sync();
                    AtomicRename.replace(temp.path(), target);
                } finally {
                    Files.deleteIfExists(temp.path());
                }
            }
        }
        return digest;
    }

    /**
     * Whether {@code target} is already this blob. A file of another size (cut short by a crash, or
     * emptied) is replaced by the push that brings the content again, where it was once kept for good.
     */
    private static boolean holds(Path target, long size) throws IOException {
        try {
            return Files.size(target) == size;
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }

    /** The temporary blob files in {@code blobsDir} ({@code blobs/sha256}) that killed processes left. */
    static Leftovers.Removed removeLeftovers(Path blobsDir) throws IOException {
        return Leftovers.files(blobsDir, UPLOAD_PREFIX, UPLOAD_SUFFIX);
    }
}
