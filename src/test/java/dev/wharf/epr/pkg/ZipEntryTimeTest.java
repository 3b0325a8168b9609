package dev.wharf.epr.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;
import java.util.TimeZone;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A zip entry's time as Go's archive/zip gives it to EPR, whatever zone this JVM runs in. */
class ZipEntryTimeTest {
    @TempDir
    Path dir;

    private TimeZone zone;

    @BeforeEach
    void farFromUtc() {
        zone = TimeZone.getDefault();
        // Half an hour off too, so that a time read in this zone cannot pass for UTC by luck.
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
    }

    @AfterEach
    void backToTheJvmsZone() {
        TimeZone.setDefault(zone);
    }

    @Test
    void aDosTimeAloneIsTakenAsUtc() throws IOException {
        Path zip = zipWith(e -> e.setTimeLocal(LocalDateTime.of(2024, 1, 2, 3, 4, 6)));

        assertThat(timeIn(zip)).contains(Instant.parse("2024-01-02T03:04:06Z"));
    }

    @Test
    void anExtendedTimestampIsAnInstantInAnyZone() throws IOException {
        Path zip = zipWith(e -> e.setLastModifiedTime(FileTime.from(Instant.parse("2024-05-06T07:08:09Z"))));

        assertThat(timeIn(zip)).contains(Instant.parse("2024-05-06T07:08:09Z"));
    }

    /** Go's archive/zip builds the time with time.Date, which rolls month 0 over to December of the year before. */
    @Test
    void aDosDateOfMonthZeroIsRolledOverAsGoDoes() throws IOException {
        Path zip = zipWith(e -> e.setTimeLocal(LocalDateTime.of(2024, 1, 2, 3, 4, 6)));
        clearDosMonths(zip);

        assertThat(timeIn(zip)).contains(Instant.parse("2023-12-02T03:04:06Z"));
    }

    /** A zip written with no date at all: year 1980, month 0, day 0, which Go reads as 30 November 1979. */
    @Test
    void aDosDateOfZeroIsTheTimeGoGivesIt() throws IOException {
        Path zip = zipWith(e -> e.setTimeLocal(LocalDateTime.of(2024, 1, 2, 3, 4, 6)));
        zeroDosDates(zip);

        assertThat(timeIn(zip)).contains(Instant.parse("1979-11-30T00:00:00Z"));
    }

    private Path zipWith(Consumer<ZipEntry> time) throws IOException {
        Path zip = dir.resolve("p.zip");
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            ZipEntry entry = new ZipEntry("p-1.0.0/manifest.yml");
            time.accept(entry);
            out.putNextEntry(entry);
            out.write("name: p\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return zip;
    }

    /** Through the package's files, as the API asks, the DOS fields read from the zip's central directory. */
    private static Optional<Instant> timeIn(Path zip) throws IOException {
        try (ZipPackageFiles files = new ZipPackageFiles(zip)) {
            return files.modified("manifest.yml");
        } catch (InvalidPackageException e) {
            throw new IOException(e);
        }
    }

    /** Date and time 0 in the local header and the central directory: month 0, day 0 of 1980. */
    private static void zeroDosDates(Path zip) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(zip)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= bytes.limit(); i++) {
            int signature = bytes.getInt(i);
            if (signature == 0x04034b50) {
                bytes.putInt(i + 10, 0);
            } else if (signature == 0x02014b50) {
                bytes.putInt(i + 12, 0);
            }
        }
        Files.write(zip, bytes.array());
    }

    /** The month bits (5 to 8) of the DOS date in the local header and the central directory set to 0. */
    private static void clearDosMonths(Path zip) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(zip)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= bytes.limit(); i++) {
            int signature = bytes.getInt(i);
            int date = signature == 0x04034b50 ? i + 12 : signature == 0x02014b50 ? i + 14 : -1;
            if (date >= 0) {
                bytes.putShort(date, (short) (bytes.getShort(date) & ~(0xf << 5)));
            }
        }
        Files.write(zip, bytes.array());
    }
}
