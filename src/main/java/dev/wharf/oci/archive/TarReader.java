package dev.wharf.oci.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.tar.TarUtils;
import org.jspecify.annotations.Nullable;

/**
 * A tar read entry by entry as Go's archive/tar reads it, where commons-compress alone reads it
 * otherwise: go-getter unpacks terraform's modules with Go's reader, and what Wharf checks and shows
 * must be what terraform unpacks. Every header record passes through {@link #readRecord}, so each
 * difference is settled there or right after commons-compress has parsed the header.
 */
public final class TarReader extends TarArchiveInputStream {
    private final InputStream source;
    private boolean afterMetaHeader;
    private boolean endedAfterMetaHeader;
    private boolean headerRead;
    private @Nullable ByteArrayOutputStream metaData;
    private byte metaType;
    private final PendingHeaders pending = new PendingHeaders();
    private final TarEnd end = new TarEnd();
    private int nested;
    private byte entryType;
    /**
     * Whether the last header read was a PAX global header ('g'). Go's reader returns one as an entry of its own and
     * carries none of its records over to later entries, where commons-compress applies them (a path, a size) to
     * every entry after it, so a global path=README.md renamed the entries for this reader alone; go-getter skips
     * the entry. So the header is read as a file's ('0'), which commons-compress applies nothing of, and skipped.
     */
    private boolean globalHeader;
    private boolean paxPending;

    public TarReader(InputStream source) {
        super(source);
        this.source = source;
    }

    /**
     * Go's reader takes a tar that ends where a header would begin for its end, with or without the
     * two zeroed records, and drops a PAX header that nothing follows. commons-compress takes such an
     * end for one too, except right after a PAX header, where it throws "Didn't find any entry after
     * PAX header" ("Error detected parsing the pax header" after a global one): so a tar that terraform
     * unpacks was refused, saying something that was not wrong with it.
     */
    @Override
    public @Nullable TarArchiveEntry getNextEntry() throws IOException {
        try {
            TarArchiveEntry entry = nextRead();
            while (entry != null && nested == 0 && globalHeader) {
                entry = nextRead(); // go-getter skips a global header's entry, as it unpacks only files and directories
            }
            return entry;
        } catch (IOException e) {
            if (endedAfterMetaHeader) {
                return null;
            }
            throw e;
        }
    }

    private @Nullable TarArchiveEntry nextRead() throws IOException {
        TarArchiveEntry entry;
        nested++; // commons-compress reads the entry after a PAX header through this method, before applying the header
        try {
            entry = super.getNextEntry();
        } finally {
            nested--;
        }
        if (entry != null && nested == 0) {
            notAFileTakenForADirectory(entry, entryType);
        }
        if (entry != null && headerOnly(entry.getLinkFlag()) && entry.getSize() != 0) {
            throw new ArchiveRefusedException("entry '" + EntryNames.printable(entry.getName()) + "' of type '" + (char) entry.getLinkFlag()
                    + "' is given " + entry.getSize() + " bytes of data by a PAX header; Go's tar reader (terraform's unpacker) gives that"
                    + " type none, so the readers would take different bytes for the next entry");
        }
        return entry;
    }

    /**
     * commons-compress takes any entry whose name ends in "/" for a directory and gives it no data; Go's reader
     * does so only for a directory ('5') and an old-style file ('\0'), and reads the data of a regular file ('0')
     * named so as a file's. A header in that data was read by one and skipped by the other, so such an entry
     * with data is refused (one without data reads the same in both).
     */
    private static void notAFileTakenForADirectory(TarArchiveEntry entry, byte type) {
        if (entry.isDirectory() && type != TarConstants.LF_DIR && type != TarConstants.LF_OLDNORM && entry.getSize() > 0) {
            throw new ArchiveRefusedException("entry '" + EntryNames.printable(entry.getName()) + "' of type '" + (char) type
                    + "' ends in '/' but holds " + entry.getSize() + " bytes of data; Go's tar reader (terraform's unpacker) reads them as a"
                    + " file's, where this reader takes the entry for a directory, so the readers would take different bytes for the next entry");
        }
    }

    @Override
    protected byte @Nullable [] readRecord() throws IOException {
        byte[] record = new byte[getRecordSize()];
        int read = source.readNBytes(record, 0, record.length);
        count(read);
        boolean meta = afterMetaHeader;
        afterMetaHeader = false;
        ByteArrayOutputStream data = metaData;
        metaData = null;
        if (data != null) {
            pending.add(metaType, data.toByteArray());
        }
        end.record(record, read, getBytesRead() - read, headerRead);
        if (read < record.length) {
            endedAfterMetaHeader |= meta && read == 0;
            return null;
        }
        if (isEOFRecord(record)) {
            endedAfterMetaHeader |= meta;
            return record;
        }
        checksummed(record);
        onePaxHeader(record[TYPE_AT]);
        afterMetaHeader = metaHeader(record[TYPE_AT]);
        if (!afterMetaHeader) {
            entryType = record[TYPE_AT];
            notSparse(record);
        }
        globalHeader = record[TYPE_AT] == TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER;
        if (globalHeader) {
            capped(record);
        }
        if (record[TYPE_AT] == TarConstants.LF_PAX_EXTENDED_HEADER_UC || globalHeader) {
            asRegularFile(record);
        }
        if (afterMetaHeader && record[TYPE_AT] != TarConstants.LF_GNUTYPE_LONGLINK) {
            metaData = new ByteArrayOutputStream();
            metaType = record[TYPE_AT];
        }
        headerRead = true;
        if (headerOnly(record[TYPE_AT])) {
            withoutData(record);
        }
        if (afterMetaHeader) {
            capped(record);
        }
        return record;
    }

    /** A PAX header's records or a GNU long name pass through here as commons-compress reads them, kept for {@link #notSparse}. */
    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int read = super.read(buffer, offset, length);
        ByteArrayOutputStream data = metaData;
        if (data != null && read > 0) {
            data.write(buffer, offset, read); // at most MAX_SPECIAL_BYTES: a longer header is refused by capped
        }
        return read;
    }

    /**
     * A sparse file is refused at its own header, before commons-compress reads its map: an old GNU one (type
     * 'S'), or one that PAX GNU.sparse keys before it describe, as commons-compress applies the keys and reads a
     * format 1.0 map from the entry's data only after reading the entry's header. With an empty map and a size field of 1024,
     * commons-compress took the next 1024 bytes for a header that Go's reader, whose physical size is the size
     * field, skips. It is named by its full name, a GNU long name or PAX path included.
     */
    private void notSparse(byte[] record) {
        String sparse = pending.sparseEntry(record, record[TYPE_AT]);
        if (sparse != null) {
            throw new SparseFileException(sparse);
        }
    }

    /**
     * Go's reader keeps only the last of two PAX extended headers before one entry (each replaces the records it
     * holds), where commons-compress applies both, the first's records last, so a path or size in either would
     * name or place the entry differently for the two readers. Writers put one before an entry, so two are refused.
     */
    private void onePaxHeader(byte type) {
        if (type != TarConstants.LF_PAX_EXTENDED_HEADER_LC) {
            paxPending &= metaHeader(type);
            return;
        }
        if (paxPending) {
            throw new ArchiveRefusedException("the tar holds a second PAX extended header before one entry (at byte " + (getBytesRead() - RECORD)
                    + "); Go's tar reader (terraform's unpacker) keeps only the last one's records, where this reader would apply both,"
                    + " so the readers would take the entry differently");
        }
        paxPending = true;
    }

    /**
     * commons-compress reads a header whatever its checksum says, where Go's reader refuses the archive at a header
     * whose checksum is wrong (see {@link HeaderChecksum}): so an archive terraform cannot unpack was accepted and
     * shown, a damaged header read as an entry. The first record failing is no tar at all to either reader.
     */
    private void checksummed(byte[] record) {
        if (HeaderChecksum.matches(record)) {
            return;
        }
        long at = getBytesRead() - record.length;
        String why = HeaderChecksum.mismatch(record);
        if (!headerRead) {
            throw new NotATarException("the archive is not a tar: its first record is no tar header, as " + why);
        }
        throw new ArchiveRefusedException("the tar's header at byte " + at + " (named '" + EntryNames.printable(TarUtils.parseName(record, 0, NAME_LENGTH))
                + "') is damaged: " + why + "; Go's tar reader (terraform's unpacker) refuses the archive there (\"archive/tar: invalid tar header\")");
    }

    /**
     * commons-compress reads a PAX header or a GNU long name or link into memory whole, bounded only by
     * the inflation limit (up to 2 GiB); Go's reader refuses one longer than 1 MiB ("header field too
     * long"), so no such archive is one terraform unpacks, and one is refused here before it is read.
     */
    private static void capped(byte[] record) {
        long size;
        try {
            size = TarUtils.parseOctalOrBinary(record, SIZE_AT, SIZE_LENGTH);
        } catch (IllegalArgumentException e) {
            return; // not a number: commons-compress refuses the header itself
        }
        if (size > MAX_SPECIAL_BYTES) {
            throw new ArchiveRefusedException("the tar holds " + metaName(record[TYPE_AT]) + " of " + size + " bytes, more than the "
                    + MAX_SPECIAL_BYTES + " bytes Go's tar reader (terraform's unpacker) reads of one");
        }
    }

    /**
     * Go's reader gives a link, a directory, a device or a FIFO no data whatever its size field says
     * (isHeaderOnlyType), where commons-compress reads that many bytes as the data of all but a directory:
     * so a header put in those bytes was unpacked by terraform and never seen here, and one that those
     * bytes passed over was seen here and never unpacked (a README the pages showed). Archives stored
     * before such entries were refused, or pushed by other tools, are read by the pages; the size field
     * is set to 0 (its checksum with it) so commons-compress reads on where Go does.
     */
    private static void withoutData(byte[] record) {
        long size;
        try {
            size = TarUtils.parseOctalOrBinary(record, SIZE_AT, SIZE_LENGTH);
        } catch (IllegalArgumentException e) {
            return;
        }
        if (size == 0) {
            return;
        }
        TarUtils.formatLongOctalOrBinaryBytes(0, record, SIZE_AT, SIZE_LENGTH);
        long sum = TarUtils.computeCheckSum(record);
        TarUtils.formatCheckSumOctalBytes(sum, record, CHECKSUM_AT, CHECKSUM_LENGTH);
    }

    /**
     * Go's reader takes only 'x' and 'g' for PAX headers: an entry of type 'X' (Solaris tar's old extended
     * header) is an entry of its own to it, whose data go-getter unpacks as a file under the header's name,
     * where commons-compress took the data for PAX records and applied them to the next entry. So a file
     * terraform unpacks (a README, a name with "..") was never seen here, and a path record renamed the next
     * entry for this reader alone. The type is set to '0' (its checksum with it, checked before) so commons-compress
     * reads the entry as Go does.
     */
    private static void asRegularFile(byte[] record) {
        record[TYPE_AT] = TarConstants.LF_NORMAL;
        TarUtils.formatCheckSumOctalBytes(TarUtils.computeCheckSum(record), record, CHECKSUM_AT, CHECKSUM_LENGTH);
    }

    private static boolean headerOnly(byte type) {
        return type == TarConstants.LF_LINK || type == TarConstants.LF_SYMLINK || type == TarConstants.LF_CHR || type == TarConstants.LF_BLK
                || type == TarConstants.LF_DIR || type == TarConstants.LF_FIFO;
    }

    private static final int NAME_LENGTH = 100;
    private static final int RECORD = 512;
    private static final int CHECKSUM_AT = 148;
    private static final int CHECKSUM_LENGTH = 8;

    private static String metaName(byte type) {
        return switch (type) {
            case TarConstants.LF_GNUTYPE_LONGNAME -> "a GNU long-name header";
            case TarConstants.LF_GNUTYPE_LONGLINK -> "a GNU long-link header";
            case TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER -> "a PAX global header";
            default -> "a PAX extended header";
        };
    }

    /** Go's maxSpecialFileSize: the most it reads of a PAX header or a GNU long name or link. */
    static final int MAX_SPECIAL_BYTES = 1 << 20;
    private static final int SIZE_AT = 124;
    private static final int SIZE_LENGTH = 12;

    /** Whether a header record was read, an entry's or one that describes the next: a tar of no entries has none. */
    public boolean headerRead() {
        return headerRead;
    }

    private static final int TYPE_AT = 156;

    /** A header that describes the entry after it rather than an entry of its own, as Go's reader takes them ('X' and 'g' are none). */
    private static boolean metaHeader(byte type) {
        return type == TarConstants.LF_PAX_EXTENDED_HEADER_LC || type == TarConstants.LF_GNUTYPE_LONGNAME || type == TarConstants.LF_GNUTYPE_LONGLINK;
    }
}
