package dev.wharf.oci.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A credential helper is given its time and no more, whatever it does with its pipes. */
class CredentialHelperTest {
    @TempDir
    Path tmp;

    @Test
    void aHelperThatNeverAnswersFailsAtItsTimeoutAndIsStopped() throws Exception {
        Path bin = helper("hang", "#!/bin/sh\necho $$ > \"${0%/*}/pid\"\nexec /bin/sleep 600\n");
        CredentialHelper helpers = new CredentialHelper(Map.of("PATH", bin.toString()), Duration.ofSeconds(1));
        long started = System.nanoTime();
        assertThatThrownBy(() -> helpers.get("hang", "r.example"))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.UNAUTHORIZED))
                .hasMessageContaining("docker-credential-hang").hasMessageContaining("did not answer within 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the wait").isLessThan(Duration.ofSeconds(20));
        long pid = Long.parseLong(Files.readString(bin.resolve("pid")).trim());
        Optional<ProcessHandle> left = ProcessHandle.of(pid);
        if (left.isPresent()) {
            // Stopped, not left sleeping: its end comes at once (a helper still there times this out).
            left.get().onExit().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aHelperThatSaysMuchOnStderrStillGivesItsAnswer() throws IOException {
        // More than a pipe holds (64 KiB) on stderr before the answer: read after stdout's end, it stalled both.
        Path bin = helper("chatty", "#!/bin/sh\nhead -c 300000 /dev/zero | tr '\\\\0' x >&2\n"
                + "printf '{\"Username\":\"u\",\"Secret\":\"s\"}'\n");
        CredentialHelper helpers = new CredentialHelper(Map.of("PATH", bin.toString() + ":/usr/bin:/bin"), Duration.ofSeconds(20));
        assertThat(helpers.get("chatty", "r.example")).contains(new Credentials.Basic("u", "s"));
    }

    private Path helper(String name, String script) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path helper = bin.resolve("docker-credential-" + name);
        Files.writeString(helper, script);
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
        return bin;
    }
}
