package dev.wharf.epr.oci;

import dev.wharf.epr.pkg.InvalidPackageException;

/**
 * A blob refused for passing {@code -max-package-size}, by its manifest's size or as it is downloaded: a
 * refusal of its own kind for the fill's metrics, whichever way the package was indexed (from its config
 * or from its zip) and whether the refresh or the fill met it.
 */
final class BlobTooLargeException extends InvalidPackageException {
    BlobTooLargeException(String message) {
        super(message);
    }
}
