package dev.wharf.epr.pkg;

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
 * {@code Last-Modified}. A DOS date that names no day (month 0, a zip written carelessly or on purpose)
 * gives no time rather than an error.
 */
final class ZipEntryTime {
    private static final int EXTENDED_TIMESTAMP = 0x5455;
    private static final int NTFS = 0x000a;

    private ZipEntryTime() {
    }

    static Optional<Instant> of(ZipEntry entry) {
        if (hasExtendedTime(entry.getExtra())) {
            return Optional.ofNullable(entry.getLastModifiedTime()).map(FileTime::toInstant);
        }
        try {
            // Without an extended time this is the DOS fields as written, before any zone.
            LocalDateTime dos = entry.getTimeLocal();
            return Optional.ofNullable(dos).map(local -> local.toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
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
