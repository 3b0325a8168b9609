package dev.wharf.epr.oci;

import dev.wharf.epr.pkg.InvalidPackageException;

/**
 * A download refused for passing {@code -max-package-size}: a refusal of its own kind for the fill's
 * metrics, whichever way the package was indexed (from its config or from its zip).
 */
final class BlobTooLargeException extends InvalidPackageException {
    BlobTooLargeException(String message) {
        super(message);
    }
}
