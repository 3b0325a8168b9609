package dev.wharf.oci.layout;

import dev.wharf.oci.Digest;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.StorageException.Kind;
import java.io.IOException;
import java.nio.file.Path;

/** The errors the layout store reports, each naming the store's root and the repository. */
record LayoutFailures(Path root) {
    String describe(String repository) {
        return "OCI layout " + root + ", repository " + repository;
    }

    StorageException tagExists(String repository, String tag) {
        return new StorageException(Kind.TAG_EXISTS, describe(repository) + ": tag '" + tag
                + "' already exists and is not overwritten");
    }

    StorageException blobNotFound(String repository, Digest digest) {
        return new StorageException(Kind.NOT_FOUND, describe(repository) + ": blob " + digest + " not found");
    }

    StorageException ioFailure(String repository, String what, IOException e) {
        return new StorageException(Kind.CORRUPT, describe(repository) + ": cannot " + what + ": " + e, e);
    }

    /** A push or a delete that failed: what fails there is a write (a full disk, a read-only folder). */
    StorageException writeFailure(String repository, String what, IOException e) {
        return new StorageException(Kind.WRITE_FAILED, describe(repository) + ": cannot " + what + ": " + e, e);
    }
}
