package dev.wharf.oci.archive;

/**
 * A tar entry that is a sparse file (GNU type 'S', or one PAX {@code GNU.sparse.*} keys describe):
 * refused by whoever reads it, and named for a refusal in the reader's own words ("holds a sparse file").
 * Go's tar reader and commons-compress place the data after such a header differently (Go's physical size is
 * the size field; commons-compress's is what the sparse map adds up to), so a header one of them reads there
 * the other passes over; and no module or package needs one.
 */
public final class SparseFileException extends ArchiveRefusedException {
    private final String entry;

    public SparseFileException(String entry) {
        super("the tar holds a sparse file '" + EntryNames.printable(entry) + "', which Go's tar reader (terraform's unpacker)"
                + " and this reader would read differently");
        this.entry = entry;
    }

    /** The entry's name as the archive gives it, unescaped. */
    public String entry() {
        return entry;
    }
}
