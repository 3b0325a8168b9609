package dev.wharf.epr.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A package's format version is checked once: by validation when it is on, by the reader when it is off. */
class PackageReaderFormatVersionTest {
    @TempDir
    Path dir;

    private Path pkg(String formatVersion) throws Exception {
        Path root = Files.createDirectories(dir.resolve("p-" + formatVersion.hashCode()));
        Files.writeString(root.resolve("manifest.yml"), "format_version: \"" + formatVersion + "\"\nname: p\ntitle: P\nversion: 1.0.0\n"
                + "description: A package.\ntype: integration\n");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/README.md"), "# P\n");
        return root;
    }

    private static String read(Path root, boolean validate) throws Exception {
        try (DirectoryPackageFiles files = new DirectoryPackageFiles(root)) {
            return new PackageReader(validate, w -> { }).read(files, false).formatVersion;
        }
    }

    @Test
    void anInvalidFormatVersionIsRefusedWithOrWithoutValidation() throws Exception {
        Path bad = pkg("3.0");
        assertThatThrownBy(() -> read(bad, true)).isInstanceOf(InvalidPackageException.class)
                .hasMessage("invalid format_version: 3.0");
        assertThatThrownBy(() -> read(bad, false)).isInstanceOf(InvalidPackageException.class)
                .hasMessage("invalid format spec version '3.0'");
    }

    @Test
    void aValidFormatVersionIsKept() throws Exception {
        Path good = pkg("3.0.1");
        assertThat(read(good, true)).isEqualTo("3.0.1");
        assertThat(read(good, false)).isEqualTo("3.0.1");
    }
}
