package dev.wharf.oci.archive;

/** An archive entry, a file name or a link that Wharf will not write, accept or follow; the message names it. */
public class ArchiveRefusedException extends RuntimeException {
    public ArchiveRefusedException(String message) {
        super(message);
    }
}
