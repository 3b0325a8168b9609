package dev.wharf.epr.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.TimeZone;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DOS fields out of range that roll over into a daylight-saving gap: 27 March 2021, 26:30, is 02:30 on
 * the 28th, a time Europe/Berlin skipped (02:00 went to 03:00). Go's msDosTimeToTime builds the time
 * with time.Date in UTC, which has no gap: 02:30 UTC. The JDK rolls the fields over in the JVM's zone,
 * where 02:30 does not exist. The zip's own fields are read and rolled over here, so no zone takes
 * part. The test runs in Europe/Berlin (as ZipEntryTimeTest runs in another zone), since in a UTC JVM
 * reading in the JVM's zone would pass it too.
 */
class ZipEntryTimeRollOverTest {
    @TempDir
    Path dir;

    private TimeZone zone;

    @BeforeEach
    void inAZoneWithAGap() {
        zone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Europe/Berlin"));
    }

    @AfterEach
    void backToTheJvmsZone() {
        TimeZone.setDefault(zone);
    }

    @Test
    void fieldsRolledOverIntoADaylightSavingGapKeepTheirTimeAsGoGivesIt() throws IOException, InvalidPackageException {
        Path zip = dir.resolve("p.zip");
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            ZipEntry entry = new ZipEntry("p-1.0.0/manifest.yml");
            entry.setTimeLocal(LocalDateTime.of(2021, 3, 27, 0, 0, 0));
            out.putNextEntry(entry);
            out.write("name: p\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        setDosTime(zip, 26, 30);

        try (ZipPackageFiles files = new ZipPackageFiles(zip)) {
            assertThat(files.modified("manifest.yml")).contains(Instant.parse("2021-03-28T02:30:00Z"));
        }
    }

    /** The DOS time in the local header and the central directory set to {@code hour}:{@code minute}:00, in range or not. */
    private static void setDosTime(Path zip, int hour, int minute) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(zip)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= bytes.limit(); i++) {
            int signature = bytes.getInt(i);
            int time = signature == 0x04034b50 ? i + 10 : signature == 0x02014b50 ? i + 12 : -1;
            if (time >= 0) {
                bytes.putShort(time, (short) (hour << 11 | minute << 5));
            }
        }
        Files.write(zip, bytes.array());
    }
}
