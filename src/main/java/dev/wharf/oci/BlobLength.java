package dev.wharf.oci;

import java.io.IOException;
import java.util.OptionalLong;

/**
 * Counts a blob's bytes as they are read against the size its descriptor gives. A manifest that gives
 * 600 for a 404-byte blob had it served as {@code Content-Length: 600} and 404 bytes, a download cut
 * short with nothing logged; one that gives 300 ended in Jetty's "insufficient content written" naming
 * nothing. A length that differs is an error like a digest that differs: more bytes fail before they
 * are handed out, fewer at the end. A length the storage announced before the first byte (a
 * registry's Content-Length) is checked before anything is handed out ({@link #refuseAnnounced}):
 * a server that sent the size as its Content-Length can still answer an error instead of cutting
 * the download.
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

    /**
     * Fails, closing {@code chunks}, when the length their storage announced is not the size: the
     * failure is the storage's content, not a read cut short, so a {@link StorageException} of kind
     * {@link StorageException.Kind#CORRUPT}, as for content that fails its digest.
     */
    void refuseAnnounced(ChunkSource chunks) {
        OptionalLong announced = chunks.announcedLength();
        if (announced.isEmpty() || announced.getAsLong() == blob.size()) {
            return;
        }
        try {
            chunks.close();
        } catch (IOException e) {
            // Only giving the connection up; the content is refused either way.
        }
        String message = where + ": the blob " + blob.digest() + " is " + announced.getAsLong()
                + " bytes as the storage announces it but its manifest gives its size as " + blob.size()
                + "; the manifest or the stored blob is wrong, and nothing of it was sent";
        throw new StorageException(StorageException.Kind.CORRUPT, message, new ContentMismatchException(message));
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
        return new ContentMismatchException(where + ": the blob " + blob.digest() + " is " + length + " but its manifest gives its size as "
                + blob.size() + "; the manifest or the stored blob is wrong, and the download was cut");
    }
}
