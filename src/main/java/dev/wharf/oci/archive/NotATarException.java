package dev.wharf.oci.archive;

/**
 * An archive read as a tar whose first record is no tar header (its checksum does not add up): not a damaged tar but
 * something else, which a reader of a request body says as such ("what its gzip holds is not a tar archive").
 */
public final class NotATarException extends ArchiveRefusedException {
    public NotATarException(String message) {
        super(message);
    }
}
