package dev.wharf.epr.pkg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.attribute.FileTime;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.zip.ZipEntry;
import org.jspecify.annotations.Nullable;

/**
 * When a zip entry was last changed, read as Go's {@code archive/zip} reads it, which EPR serves a zip
 * package's files with: the extended timestamp when the entry has one (an instant: Info-ZIP's
 * {@code 0x5455} field or NTFS's {@code 0x000a}), otherwise the DOS date and time taken as UTC. Java
 * reads a bare DOS time in the JVM's zone, so replicas in two zones would give one file two
 * {@code Last-Modified}. DOS fields out of their range (month 0, as a zip written with no date at
 * all has, day 0, hour 24 to 31) are rolled over as Go's {@code msDosTimeToTime} rolls them, with
 * {@code time.Date} in UTC: month 0 to December of the year before, and never into a zone's
 * daylight-saving gap, which has no such times in UTC.
 */
final class ZipEntryTime {
    private static final int EXTENDED_TIMESTAMP = 0x5455;
    private static final int NTFS = 0x000a;

    /** The entry's DOS date and time as the zip stores them (date high, time low), read only when they are out of range. */
    @FunctionalInterface
    interface RawDosTime {
        long of(ZipEntry entry) throws IOException;
    }

    private ZipEntryTime() {
    }

    static Optional<Instant> of(ZipEntry entry, RawDosTime raw) throws IOException {
        if (hasExtendedTime(entry.getExtra())) {
            return Optional.ofNullable(entry.getLastModifiedTime()).map(FileTime::toInstant);
        }
        try {
            // Without an extended time this is the DOS fields as written, before any zone.
            LocalDateTime dos = entry.getTimeLocal();
            return Optional.ofNullable(dos).map(local -> local.toInstant(ZoneOffset.UTC));
        } catch (DateTimeException outOfRange) {
            return Optional.of(rolledOver(raw.of(entry)));
        }
    }

    /**
     * Go's {@code time.Date(year, month, day, hour, min, sec, 0, time.UTC)} of the DOS fields: the
     * month carried into the year, then the day, hours, minutes and seconds added. The JDK rolls them
     * over through {@code java.util.Date} in the JVM's zone, where a time in a daylight-saving gap
     * (02:30 on a spring-forward night) comes out an hour later.
     */
    static Instant rolledOver(long dosTime) {
        int date = (int) (dosTime >>> 16) & 0xffff;
        int time = (int) dosTime & 0xffff;
        return LocalDateTime.of((date >> 9) + 1980, 1, 1, 0, 0)
                .plusMonths(((date >> 5) & 0xf) - 1L)
                .plusDays((date & 0x1f) - 1L)
                .plusHours((time >> 11) & 0x1f)
                .plusMinutes((time >> 5) & 0x3f)
                .plusSeconds((time & 0x1f) * 2L)
                .toInstant(ZoneOffset.UTC);
    }

    /** Whether the central directory's extra fields carry a modification time Java reads as an instant. */
    private static boolean hasExtendedTime(byte @Nullable [] extra) {
        if (extra == null) {
            return false;
        }
        ByteBuffer fields = ByteBuffer.wrap(extra).order(ByteOrder.LITTLE_ENDIAN);
        while (fields.remaining() >= 4) {
            int id = Short.toUnsignedInt(fields.getShort());
            int size = Short.toUnsignedInt(fields.getShort());
            if (size > fields.remaining()) {
                return false;
            }
            if (id == EXTENDED_TIMESTAMP && size >= 5 && (fields.get(fields.position()) & 1) != 0) {
                return true;
            }
            if (id == NTFS && size >= 32 && fields.getShort(fields.position() + 4) == 1 && fields.getShort(fields.position() + 6) == 24) {
                return true;
            }
            fields.position(fields.position() + size);
        }
        return false;
    }
}
