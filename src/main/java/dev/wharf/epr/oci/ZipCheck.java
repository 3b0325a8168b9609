package dev.wharf.epr.oci;

import dev.wharf.epr.pkg.InvalidPackageException;
import java.nio.file.Path;

/** What the zip of an entry indexed from its config must pass once downloaded, before {@link PackageBlobCache} keeps it. */
@FunctionalInterface
interface ZipCheck {
    ZipCheck NONE = (zip, entry) -> {
    };

    void check(Path zip, CachedPackage entry) throws InvalidPackageException;
}
