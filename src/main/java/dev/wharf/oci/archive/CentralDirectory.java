package dev.wharf.oci.archive;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.zip.ZipException;
import org.jspecify.annotations.Nullable;

/**
 * The records of a zip's central directory, with the two fields {@code java.util.zip} does not
 * expose: the system that made each entry and its external attributes, where Unix zips keep the
 * file type (a symbolic link, a FIFO). Only what the {@link ZipInspector} needs is read, streaming,
 * so a zip of many entries costs no memory.
 *
 * <p>The directory is found as {@code java.util.zip} finds it: the last end record whose comment
 * length reaches the end of the file, or, failing that, whose directory and first local header are
 * where it says; a Zip64 end record replaces its counts when a Zip64 locator precedes it; the
 * directory ends where the end record begins, so data prepended to the zip moves nothing. The
 * inspector checks that both readings saw the same number of entries.
 */
public final class CentralDirectory {
    private static final int END_SIGNATURE = 0x06054b50;
    private static final int END_LENGTH = 22;
    private static final int MAX_COMMENT = 0xFFFF;
    private static final int SHORT_COMMENT = 512;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int ZIP64_LOCATOR_LENGTH = 20;
    private static final int ZIP64_END_SIGNATURE = 0x06064b50;
    private static final int ZIP64_END_LENGTH = 56;
    private static final int ENTRY_SIGNATURE = 0x02014b50;
    private static final int ENTRY_LENGTH = 46;
    private static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final long MAGIC32 = 0xFFFFFFFFL;
    private static final int MAGIC16 = 0xFFFF;

    private static final int PLATFORM_UNIX = 3;

    /**
     * One entry: its name as stored (UTF-8), its Unix mode (0 when a system other than Unix made it) and
     * its MS-DOS date and time as stored (date in the high 16 bits, time in the low), which
     * {@code java.util.zip} hands out only converted in the JVM's zone.
     */
    public record Record(String name, int unixMode, long dosTime) {
    }

    private record End(long position, long directoryLength, long directoryOffset) {
    }

    private CentralDirectory() {
    }

    /** Visits every record of {@code zip}'s central directory; returns how many there were. */
    public static long read(Path zip, Consumer<Record> visitor) throws IOException {
        try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ)) {
            End end = findEnd(channel);
            long start = end.position() - end.directoryLength();
            if (start < 0) {
                throw new ZipException("invalid END header (bad central directory offset)");
            }
            // Sized to the directory (a few KB for most packages), not a fixed 64 KB per zip.
            int buffer = (int) Math.max(ENTRY_LENGTH, Math.min(64 * 1024, end.directoryLength()));
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel.position(start)), buffer);
            return visitAll(in, end.directoryLength(), visitor);
        }
    }

    private static long visitAll(InputStream in, long length, Consumer<Record> visitor) throws IOException {
        byte[] fixed = new byte[ENTRY_LENGTH];
        ByteBuffer header = ByteBuffer.wrap(fixed).order(ByteOrder.LITTLE_ENDIAN);
        long read = 0;
        long count = 0;
        while (read + ENTRY_LENGTH <= length) {
            readFully(in, fixed);
            if (header.getInt(0) != ENTRY_SIGNATURE) {
                throw new ZipException("invalid CEN header (bad signature)");
            }
            int madeBy = header.getShort(4) & 0xFFFF;
            int nameLength = header.getShort(28) & 0xFFFF;
            int extraLength = header.getShort(30) & 0xFFFF;
            int commentLength = header.getShort(32) & 0xFFFF;
            long external = header.getInt(38) & MAGIC32;
            long dosTime = header.getInt(12) & MAGIC32;
            byte[] name = new byte[nameLength];
            readFully(in, name);
            in.skipNBytes((long) extraLength + commentLength);
            read += ENTRY_LENGTH + nameLength + extraLength + commentLength;
            if (read > length) {
                throw new ZipException("invalid CEN header (bad header size)");
            }
            int mode = madeBy >> 8 == PLATFORM_UNIX ? (int) (external >> 16) : 0;
            visitor.accept(new Record(new String(name, StandardCharsets.UTF_8), mode, dosTime));
            count++;
        }
        return count;
    }

    private static End findEnd(FileChannel channel) throws IOException {
        long size = channel.size();
        // Most zips carry no comment, or a short one: their end record is in the last few hundred bytes.
        // That tail is searched first and the 64 KB a comment may take only when it holds no end record;
        // the search runs backwards from the end either way, so both find the same record. (The whole
        // tail was a 64 KB array per zip: a tenth of what package-registry allocated indexing
        // 200 packages, bench/RESULTS.md, session 24.)
        End end = findEnd(channel, size, (int) Math.min(size, END_LENGTH + SHORT_COMMENT));
        if (end == null && size > END_LENGTH + SHORT_COMMENT) {
            end = findEnd(channel, size, (int) Math.min(size, END_LENGTH + MAX_COMMENT));
        }
        if (end == null) {
            throw new ZipException("zip END header not found");
        }
        return end;
    }

    /** The last end record in the file's last {@code tailLength} bytes, or null. */
    private static @Nullable End findEnd(FileChannel channel, long size, int tailLength) throws IOException {
        ByteBuffer tail = readAt(channel, size - tailLength, tailLength);
        for (int i = tailLength - END_LENGTH; i >= 0; i--) {
            if (tail.getInt(i) != END_SIGNATURE) {
                continue;
            }
            long position = size - tailLength + i;
            long directoryLength = tail.getInt(i + 12) & MAGIC32;
            long directoryOffset = tail.getInt(i + 16) & MAGIC32;
            int commentLength = tail.getShort(i + 20) & 0xFFFF;
            End end = new End(position, directoryLength, directoryOffset);
            if (position + END_LENGTH + commentLength != size && !pointsAtEntries(channel, end)) {
                continue;  // the signature's bytes inside a comment or inside data, not an end record
            }
            return zip64(channel, end, tail.getShort(i + 10) & 0xFFFF);
        }
        return null;
    }

    private static boolean pointsAtEntries(FileChannel channel, End end) throws IOException {
        long directory = end.position() - end.directoryLength();
        long firstLocal = directory - end.directoryOffset();
        return directory >= 0 && firstLocal >= 0
                && signatureAt(channel, directory) == ENTRY_SIGNATURE && signatureAt(channel, firstLocal) == LOCAL_SIGNATURE;
    }

    /** The Zip64 end record's values where one is present and agrees with the plain record. */
    private static End zip64(FileChannel channel, End end, int entries) throws IOException {
        if (end.position() < ZIP64_LOCATOR_LENGTH) {
            return end;
        }
        ByteBuffer locator = readAt(channel, end.position() - ZIP64_LOCATOR_LENGTH, ZIP64_LOCATOR_LENGTH);
        if (locator.getInt(0) != ZIP64_LOCATOR_SIGNATURE) {
            return end;
        }
        long recordAt = locator.getLong(8);
        if (recordAt < 0 || recordAt + ZIP64_END_LENGTH > channel.size()) {
            return end;
        }
        ByteBuffer record = readAt(channel, recordAt, ZIP64_END_LENGTH);
        if (record.getInt(0) != ZIP64_END_SIGNATURE) {
            return end;
        }
        long entries64 = record.getLong(32);
        long length64 = record.getLong(40);
        long offset64 = record.getLong(48);
        boolean agrees = (length64 == end.directoryLength() || end.directoryLength() == MAGIC32)
                && (offset64 == end.directoryOffset() || end.directoryOffset() == MAGIC32)
                && (entries64 == entries || entries == MAGIC16);
        return agrees ? new End(recordAt, length64, offset64) : end;
    }

    private static int signatureAt(FileChannel channel, long position) throws IOException {
        if (position + 4 > channel.size()) {
            return 0;
        }
        return readAt(channel, position, 4).getInt(0);
    }

    private static ByteBuffer readAt(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException("the zip ends inside its own directory");
            }
        }
        return buffer.flip();
    }

    private static void readFully(InputStream in, byte[] into) throws IOException {
        if (in.readNBytes(into, 0, into.length) != into.length) {
            throw new EOFException("the zip ends inside its central directory");
        }
    }
}
