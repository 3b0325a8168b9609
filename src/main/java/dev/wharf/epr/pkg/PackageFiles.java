package dev.wharf.epr.pkg;

import dev.wharf.oci.archive.ArchiveLimits;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The files of one package, whatever holds them (an unpacked folder, a zip on disk). Paths are
 * relative to the package root, separated by {@code /}.
 */
public interface PackageFiles extends Closeable {

    /** Every regular file. */
    List<String> files();

    /** Every directory, explicit or implied by a file path. */
    List<String> directories();

    boolean isFile(String path);

    boolean isDirectory(String path);

    /** Size in bytes of a file. */
    long size(String path) throws IOException;

    InputStream open(String path) throws IOException;

    /**
     * Refuses a package that could not be unpacked safely: a name that is not a plain relative path,
     * a link leading out of the package, or more bytes than {@code limits} allow (counted as they
     * inflate, not as declared).
     */
    void checkSafety(ArchiveLimits limits) throws InvalidPackageException, IOException;

    @Override
    default void close() throws IOException {
    }
}
