package dev.wharf.epr.pkg;

import dev.wharf.epr.index.PackageContent;
import dev.wharf.epr.index.Resource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private final Resource.Writer zipWriter;
    private final long zipSize;
    private final SignatureSource signature;

    @FunctionalInterface
    public interface SignatureSource {
        Optional<Resource> get() throws IOException;
    }

    public ZipContent(ZipLocation location, long zipSize, Resource.Writer zipWriter, SignatureSource signature) {
        this.location = location;
        this.zipSize = zipSize;
        this.zipWriter = zipWriter;
        this.signature = signature;
    }

    /** A zip that lies on disk for good (the file-system indexer). */
    public static ZipContent onDisk(Path zip, Path signatureFile) {
        return new ZipContent(() -> zip, sizeOf(zip), out -> {
            try (InputStream in = Files.newInputStream(zip)) {
                in.transferTo(out);
            }
        }, () -> {
            if (signatureFile == null || !Files.isRegularFile(signatureFile)) {
                return Optional.empty();
            }
            return Optional.of(new Resource(Files.size(signatureFile), out -> {
                try (InputStream in = Files.newInputStream(signatureFile)) {
                    in.transferTo(out);
                }
            }));
        });
    }

    private static long sizeOf(Path zip) {
        try {
            return Files.size(zip);
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
        return Optional.of(new Resource(size, out -> {
            try (files; InputStream in = files.open(path)) {
                in.transferTo(out);
            }
        }));
    }

    @Override
    public Resource zip() {
        // The location is a whole zip of exactly this size: downloaded and checked against its
        // digest by the OCI indexer, or the file the file-system indexer found.
        return new Resource(zipSize, zipWriter, location::get);
    }

    @Override
    public Optional<Resource> signature() throws IOException {
        return signature.get();
    }
}
