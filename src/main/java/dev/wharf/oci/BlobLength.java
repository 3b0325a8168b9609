package dev.wharf.oci;

import java.io.IOException;

/**
 * Counts a blob's bytes as they are read against the size its descriptor gives. A manifest that gives
 * 600 for a 404-byte blob had it served as {@code Content-Length: 600} and 404 bytes, a download cut
 * short with nothing logged; one that gives 300 ended in Jetty's "insufficient content written" naming
 * nothing. A length that differs is an error like a digest that differs: more bytes fail before they
 * are handed out, fewer at the end.
 */
final class BlobLength {
    private final Descriptor blob;
    private final String where;
    private long seen;

    /** {@code where} names the storage and repository for the message ("registry r.example, repository a/b"). */
    BlobLength(Descriptor blob, String where) {
        this.blob = blob;
        this.where = where;
    }

    /** Counts {@code n} more bytes; fails, before the caller hands them out, when they run past the size. */
    void add(long n) throws IOException {
        seen += n;
        if (seen > blob.size()) {
            throw mismatch("more than " + blob.size() + " bytes");
        }
    }

    /** The content ended: fails when it was shorter than the size. */
    void end() throws IOException {
        if (seen != blob.size()) {
            throw mismatch(seen + " bytes");
        }
    }

    private IOException mismatch(String length) {
        return new IOException(where + ": the blob " + blob.digest() + " is " + length + " but its manifest gives its size as "
                + blob.size() + "; the manifest or the stored blob is wrong, and the download was cut");
    }
}
