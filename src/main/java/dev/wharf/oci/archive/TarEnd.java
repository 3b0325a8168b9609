package dev.wharf.oci.archive;

/**
 * Where a tar ends, as Go's archive/tar (terraform's unpacker, through go-getter) takes it: no more bytes where a
 * header would begin, one zero block and no more bytes, or two zero blocks. commons-compress takes a zero block, and
 * a record cut short, for the end whatever follows, so a tar Go's reader refuses (readHeader: a zero block followed
 * by one that is not zeroed is ErrHeader, a short record io.ErrUnexpectedEOF) was accepted and shown, though go-getter
 * fails the whole unpack on it. Every record read where a header would be passes through {@link #record}.
 */
final class TarEnd {
    private long zeroBlockAt = -1;

    /**
     * Refuses the record read at byte {@code at} ({@code read} bytes of it) where Go's reader would fail. A first
     * record cut short is refused as a tar cut short when what arrived is a header's beginning ({@link
     * HeaderChecksum#couldBeCutShort}); otherwise it is left to the caller, as no tar at all: Go's reader says
     * "unexpected EOF" of both, but a few bytes of text gzipped are not a tar that lost its end.
     */
    void record(byte[] record, int read, long at, boolean headerRead) {
        long zero = zeroBlockAt;
        zeroBlockAt = -1;
        if (read > 0 && read < record.length && (headerRead || zero >= 0)) {
            throw new ArchiveRefusedException("the tar ends " + read + " bytes into the block at byte " + at + ", where a header or the"
                    + " archive's end would be; Go's tar reader (terraform's unpacker) refuses the archive there (\"unexpected EOF\"),"
                    + " where this reader would end it there");
        }
        if (read > 0 && read < record.length && HeaderChecksum.couldBeCutShort(record, read)) {
            throw new ArchiveRefusedException("the tar is cut short: it ends " + read + " bytes into its first header, which takes "
                    + record.length + "; Go's tar reader (terraform's unpacker) refuses the archive there (\"unexpected EOF\")");
        }
        if (read < record.length) {
            return;
        }
        boolean zeroed = zeroed(record);
        if (zero >= 0 && !zeroed) {
            throw new ArchiveRefusedException("the tar holds a zero block followed by a block that is not zeroed, at byte " + at
                    + "; Go's tar reader (terraform's unpacker) refuses the archive there (\"archive/tar: invalid tar header\"),"
                    + " where this reader would end it at the zero block");
        }
        if (zero < 0 && zeroed) {
            zeroBlockAt = at;
        }
    }

    private static boolean zeroed(byte[] record) {
        for (byte b : record) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
