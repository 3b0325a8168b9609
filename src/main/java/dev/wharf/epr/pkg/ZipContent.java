package dev.wharf.epr.pkg;

import dev.wharf.epr.index.PackageContent;
import dev.wharf.epr.index.Resource;
import dev.wharf.oci.FileChunks;
import dev.wharf.oci.InputStreamChunks;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * Files of a package read from its zip on disk. The zip itself and the signature come from wherever
 * the caller says (the same file, or an OCI blob), so this serves both indexers.
 */
public final class ZipContent implements PackageContent {
    /** Makes sure the zip is on disk and says where; the OCI indexer may have to download it first. */
    @FunctionalInterface
    public interface ZipLocation {
        Path get() throws IOException;
    }

    private final ZipLocation location;
    private final Resource.Reader zipReader;
    private final long zipSize;
    private final SignatureSource signature;
    private final Resource.Stamp zipStamp;

    @FunctionalInterface
    public interface SignatureSource {
        Optional<Resource> get() throws IOException;
    }

    public ZipContent(ZipLocation location, long zipSize, Resource.Stamp zipStamp, Resource.Reader zipReader, SignatureSource signature) {
        this.location = location;
        this.zipSize = zipSize;
        this.zipStamp = zipStamp;
        this.zipReader = zipReader;
        this.signature = signature;
    }

    /** A zip that lies on disk for good (the file-system indexer), stamped with its time as it is indexed. */
    public static ZipContent onDisk(Path zip, Path signatureFile) {
        BasicFileAttributes attributes = attributesOf(zip);
        return new ZipContent(() -> zip, attributes.size(), Resource.Stamp.ofTime(attributes.lastModifiedTime().toInstant()),
                () -> FileChunks.trusted(FileChannel.open(zip, StandardOpenOption.READ)), () -> {
                    if (signatureFile == null || !Files.isRegularFile(signatureFile)) {
                        return Optional.empty();
                    }
                    return Optional.of(Resource.ofLocalFile(signatureFile));
                });
    }

    private static BasicFileAttributes attributesOf(Path zip) {
        try {
            return Files.readAttributes(zip, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The zip is read for the file's size and time and closed again; the answer opens it anew for the
     * body. An answer that never reads the body (HEAD, 304, a README too long to show) holds nothing
     * open: each such request once left the zip's descriptor and central directory to the collector.
     */
    @Override
    public Optional<Resource> file(String path) throws IOException {
        Path zip = location.get();
        String entryName;
        long size;
        Resource.Stamp stamp;
        try (ZipPackageFiles files = new ZipPackageFiles(zip)) {
            if (!files.isFile(path)) {
                return Optional.empty();
            }
            entryName = files.entryName(path);
            size = files.size(path);
            // The entry's own time, as EPR serves a file of a zip package: the same on every replica that holds the zip.
            stamp = Resource.Stamp.ofTime(files.modified(path).orElse(null));
        } catch (InvalidPackageException e) {
            throw new IOException("package zip " + zip + " is no longer valid: " + e.getMessage(), e);
        }
        return Optional.of(new Resource(size, () -> entry(zip, entryName, size)).stamped(stamp));
    }

    /** The entry's bytes, never more than {@code size}, from an opening of the zip that the stream's closing closes. */
    private static InputStreamChunks entry(Path zip, String name, long size) throws IOException {
        ZipFile file = new ZipFile(zip.toFile());
        try {
            ZipEntry entry = file.getEntry(name);
            if (entry == null || entry.getSize() != size) {
                throw new IOException("package zip " + zip + " changed while its file " + name + " was being answered");
            }
            InputStream in = BoundedInputStream.builder().setInputStream(file.getInputStream(entry)).setMaxCount(size).get();
            return new InputStreamChunks(new ClosingBoth(in, file), Resource.CHUNK);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** An entry's stream whose closing closes its zip too. */
    private static final class ClosingBoth extends java.io.FilterInputStream {
        private final Closeable zip;

        ClosingBoth(InputStream in, Closeable zip) {
            super(in);
            this.zip = zip;
        }

        @Override
        public void close() throws IOException {
            try (zip) {
                super.close();
            }
        }
    }

    @Override
    public Resource zip() {
        // The location is a whole zip of exactly this size: downloaded and checked against its
        // digest by the OCI indexer, or the file the file-system indexer found.
        return new Resource(zipSize, zipReader, location::get, zipStamp);
    }

    @Override
    public Optional<Resource> signature() throws IOException {
        return signature.get();
    }
}
