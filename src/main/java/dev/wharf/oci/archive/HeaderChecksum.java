package dev.wharf.oci.archive;

/**
 * A tar header's checksum, checked as Go's archive/tar checks it (terraform's unpacker, through go-getter), where
 * commons-compress does not check it at all: Go refuses the archive at a header whose checksum field is not octal or
 * matches neither the unsigned sum of the header's bytes (POSIX) nor their signed sum (old Sun tar's), the field
 * itself counted as eight spaces. So a header Go stops at ("archive/tar: invalid tar header") is never read here as
 * an entry terraform would unpack.
 */
final class HeaderChecksum {
    private static final int AT = 148;
    private static final int LENGTH = 8;

    private HeaderChecksum() {
    }

    /** Whether {@code record}'s checksum field holds its unsigned or its signed sum. */
    static boolean matches(byte[] record) {
        long stored = stored(record);
        return stored >= 0 && (stored == unsignedSum(record) || stored == signedSum(record));
    }

    /**
     * Whether the first {@code read} bytes of {@code record} (the rest zeroed) can be a header cut short: they hold the
     * whole checksum field, an octal number, and the bytes missing could still bring either sum to it. A header cut in
     * its zeroed tail matches at once; text or another format seldom has octal digits where the field is. Bytes that
     * end before the field cannot be told from anything else.
     */
    static boolean couldBeCutShort(byte[] record, int read) {
        if (read < AT + LENGTH || read >= record.length) {
            return false;
        }
        long stored = stored(record);
        if (stored < 0) {
            return false;
        }
        long missing = record.length - read;
        long unsigned = unsignedSum(record);
        long signed = signedSum(record);
        return stored >= unsigned && stored <= unsigned + 255 * missing
                || stored >= signed + Byte.MIN_VALUE * missing && stored <= signed + Byte.MAX_VALUE * missing;
    }

    /**
     * The field's value, or -1 when Go's parseOctal refuses it: it trims spaces and NULs from both ends, reads up to
     * the first NUL left, and takes an empty field for 0. The field's eight bytes hold at most 2^24 - 1, so no overflow.
     */
    static long stored(byte[] record) {
        int start = AT;
        int end = AT + LENGTH;
        while (start < end && (record[start] == ' ' || record[start] == 0)) {
            start++;
        }
        while (end > start && (record[end - 1] == ' ' || record[end - 1] == 0)) {
            end--;
        }
        long value = 0;
        for (int i = start; i < end && record[i] != 0; i++) {
            if (record[i] < '0' || record[i] > '7') {
                return -1;
            }
            value = value * 8 + (record[i] - '0');
        }
        return value;
    }

    /** What is wrong with a checksum that does not match, for the refusal: a field that is no number, or the sums it is not. */
    static String mismatch(byte[] record) {
        long stored = stored(record);
        if (stored < 0) {
            return "its checksum field " + fieldText(record) + " is no octal number";
        }
        return "its checksum field says " + Long.toString(stored, 8) + " (octal) where its bytes sum to " + Long.toString(unsignedSum(record), 8)
                + " (" + Long.toString(signedSum(record), 8) + " as signed bytes)";
    }

    /** The checksum field as written, octal digits shown as they are and any other byte escaped. */
    private static String fieldText(byte[] record) {
        StringBuilder text = new StringBuilder("'");
        for (int i = AT; i < AT + LENGTH; i++) {
            int b = record[i] & 0xff;
            text.append(b >= 0x20 && b < 0x7f && b != '\'' && b != '\\' ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return text.append("'").toString();
    }

    static long unsignedSum(byte[] record) {
        long sum = 0;
        for (int i = 0; i < record.length; i++) {
            sum += inField(i) ? ' ' : record[i] & 0xff;
        }
        return sum;
    }

    static long signedSum(byte[] record) {
        long sum = 0;
        for (int i = 0; i < record.length; i++) {
            sum += inField(i) ? ' ' : record[i];
        }
        return sum;
    }

    private static boolean inField(int i) {
        return i >= AT && i < AT + LENGTH;
    }
}
