package dev.wharf.epr.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.index.Resource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files of a package zip on disk: each answer opens the zip only for as long as it reads the body. */
class ZipContentTest {
    @TempDir
    Path dir;

    @Test
    void describingAFileLeavesTheZipClosedAndReadingItClosesItAgain() throws IOException {
        Path zip = packageZip();
        ZipContent content = ZipContent.onDisk(zip, dir.resolve("none.zip.sig"));

        // What a HEAD or a 304 does: the file's size and time, never its body.
        for (int i = 0; i < 20; i++) {
            Resource readme = content.file("docs/README.md").orElseThrow();
            assertThat(readme.size()).isEqualTo(9);
            assertThat(readme.stamp().modified()).isNotNull();
        }
        assertThat(descriptorsOn(zip)).as("descriptors left on the zip by answers that never read it").isZero();

        ByteArrayOutputStream body = new ByteArrayOutputStream();
        content.file("docs/README.md").orElseThrow().writeTo(body);
        assertThat(body.toString(StandardCharsets.UTF_8)).isEqualTo("# Readme\n");
        assertThat(descriptorsOn(zip)).isZero();
        assertThat(content.file("docs/nothing.md")).isEmpty();
        assertThat(descriptorsOn(zip)).isZero();
    }

    private Path packageZip() throws IOException {
        Path zip = dir.resolve("p-1.0.0.zip");
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            for (String[] entry : new String[][] {{"p-1.0.0/manifest.yml", "name: p\n"}, {"p-1.0.0/docs/README.md", "# Readme\n"}}) {
                out.putNextEntry(new ZipEntry(entry[0]));
                out.write(entry[1].getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return zip;
    }

    /** How many of this process's open descriptors are on {@code file} (Linux's /proc). */
    private static long descriptorsOn(Path file) throws IOException {
        Path real = file.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException e) {
                    return false; // closed while listed
                }
            }).count();
        }
    }
}
