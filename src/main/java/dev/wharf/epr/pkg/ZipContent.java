package dev.wharf.epr.pkg;

import dev.wharf.epr.index.PackageContent;
import dev.wharf.epr.index.Resource;
import dev.wharf.oci.FileChunks;
import dev.wharf.oci.InputStreamChunks;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

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

    @Override
    public Optional<Resource> file(String path) throws IOException {
        Path zip = location.get();
        ZipPackageFiles files;
        try {
            files = new ZipPackageFiles(zip);
        } catch (InvalidPackageException e) {
            throw new IOException("package zip " + zip + " is no longer valid: " + e.getMessage(), e);
        }
        if (!files.isFile(path)) {
            files.close();
            return Optional.empty();
        }
        long size = files.size(path);
        // The entry's own time, as EPR serves a file of a zip package: the same on every replica that holds the zip.
        return Optional.of(new Resource(size, () -> new InputStreamChunks(new ClosingBoth(files.open(path), files), Resource.CHUNK))
                .stamped(Resource.Stamp.ofTime(files.modified(path).orElse(null))));
    }

    /** An entry's stream whose closing closes its zip too. */
    private static final class ClosingBoth extends java.io.FilterInputStream {
        private final ZipPackageFiles files;

        ClosingBoth(InputStream in, ZipPackageFiles files) {
            super(in);
            this.files = files;
        }

        @Override
        public void close() throws IOException {
            try (files) {
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
