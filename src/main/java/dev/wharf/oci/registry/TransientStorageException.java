package dev.wharf.oci.registry;

import dev.wharf.oci.StorageException;

/**
 * A failure that may pass if the whole operation is tried again (a broken connection, 429, 5xx),
 * so that a multi-request step such as a blob upload session can be restarted from its beginning.
 * Callers outside this package see an ordinary {@link StorageException}.
 */
final class TransientStorageException extends StorageException {
    TransientStorageException(Kind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }

    TransientStorageException(Kind kind, String message) {
        super(kind, message);
    }
}
