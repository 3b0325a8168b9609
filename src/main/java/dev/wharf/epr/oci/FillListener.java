package dev.wharf.epr.oci;

/**
 * Told of the failures of the fill behind the index and of how many blobs broken in the registry wait
 * for their next try: Wharf's {@code wharf_package_fill_*} metrics, so that an operator sees with
 * Prometheus what {@code /health} and one WARN line say. Called on the fill's thread and on request
 * threads (a request that meets a broken blob first).
 */
public interface FillListener {
    FillListener NONE = new FillListener() {
        @Override
        public void failed(Failure kind) {
        }

        @Override
        public void skipped(int blobs) {
        }
    };

    /** Why the fill did not get a blob. */
    enum Failure {
        /** The registry failed as a whole (unreachable, 5xx, credentials): the round stopped and is tried again in 10 s. */
        REGISTRY,
        /** The blob's bytes are not its digest's, or its length not its manifest's. */
        BLOB_CORRUPT,
        /** The registry does not have the blob. */
        BLOB_MISSING,
        /**
         * The zip of a package listed from its config was refused by its check against that config (the
         * reader refuses it, or makes another document of it, or it is no zip): the package is left out.
         */
        ZIP_DISAGREES_WITH_CONFIG,
        /**
         * A zip or signature of a listed package, from its config or read from its zip, is larger than
         * {@code -max-package-size} (lowered since the package was indexed), or one of a new tag is, by its
         * manifest or as it is downloaded: the package is left out.
         */
        BLOB_TOO_LARGE
    }

    /** A try failed. */
    void failed(Failure kind);

    /** {@code blobs} blobs broken in the registry now wait for their next try. */
    void skipped(int blobs);
}
