package dev.wharf.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.StorageException;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A body whose file the disk refuses is read on, up to the limit, before the refusal is answered: answered with the
 * client still sending, the connection closed on unread bytes and the reset that followed could discard the 507.
 */
class BodySpoolTest {
    @TempDir
    Path dir;

    @Test
    void aBodyTheDiskRefusesIsReadToItsEndBeforeTheRefusal() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("not-a-folder"), "x");
        ByteArrayInputStream body = new ByteArrayInputStream(new byte[3 << 20]);
        assertThatThrownBy(() -> BodySpool.spool(body, notAFolder.resolve("archive"), 8 << 20))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.WRITE_FAILED));
        assertThat(body.available()).as("bytes left unread").isZero();
    }

    @Test
    void whatIsReadAfterARefusalStopsAtTheLimit() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("not-a-folder"), "x");
        ByteArrayInputStream body = new ByteArrayInputStream(new byte[8 << 20]);
        assertThatThrownBy(() -> BodySpool.spool(body, notAFolder.resolve("archive"), 1 << 20)).isInstanceOf(StorageException.class);
        assertThat(body.available()).as("bytes left unread").isBetween((7 << 20) - (64 << 10), 7 << 20);
    }
}
