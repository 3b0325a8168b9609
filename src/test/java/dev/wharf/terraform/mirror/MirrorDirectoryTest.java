package dev.wharf.terraform.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.archive.ZipInspector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON below has the shape {@code terraform providers mirror} 1.11 writes (only {@code h1:}
 * hashes, file-name URLs); the end-to-end test feeds real terraform output to the same reader.
 */
class MirrorDirectoryTest {
    @TempDir
    Path root;

    @Test
    void readsEveryArchiveWithItsCheckedHashes() throws IOException {
        Path dir = root.resolve("registry.example.test/acme/dummy");
        Path linux = TestZips.provider(dir.resolve("terraform-provider-dummy_1.0.0_linux_amd64.zip"), "dummy", "1.0.0", "l");
        Path darwin = TestZips.provider(dir.resolve("terraform-provider-dummy_1.0.0_darwin_arm64.zip"), "dummy", "1.0.0", "d");
        Path older = TestZips.provider(dir.resolve("terraform-provider-dummy_0.9.0_linux_amd64.zip"), "dummy", "0.9.0", "o");
        writeIndex(dir, "1.0.0", "0.9.0");
        writeVersion(dir, "1.0.0", Map.of("linux_amd64", linux, "darwin_arm64", darwin));
        writeVersion(dir, "0.9.0", Map.of("linux_amd64", older));

        List<MirroredArchive> archives = MirrorDirectory.read(root, new ZipInspector(ArchiveLimits.DEFAULT));

        assertThat(archives).extracting(a -> a.version() + " " + a.platform())
                .containsExactlyInAnyOrder("1.0.0 linux_amd64", "1.0.0 darwin_arm64", "0.9.0 linux_amd64");
        MirroredArchive first = archives.stream().filter(a -> a.platform().equals("darwin_arm64")).findFirst().orElseThrow();
        assertThat(first.provider()).isEqualTo(new MirrorCoordinates("registry.example.test", "acme", "dummy"));
        assertThat(first.file()).isEqualTo(darwin);
        assertThat(first.hashes()).isEqualTo(PackageHashes.of(darwin));
    }

    @Test
    void aZipThatDoesNotMatchItsHashIsRefusedByName() throws IOException {
        Path dir = root.resolve("registry.example.test/acme/dummy");
        Path zip = TestZips.provider(dir.resolve("terraform-provider-dummy_1.0.0_linux_amd64.zip"), "dummy", "1.0.0", "l");
        writeIndex(dir, "1.0.0");
        writeVersion(dir, "1.0.0", Map.of("linux_amd64", zip));
        TestZips.provider(zip, "dummy", "1.0.0", "tampered");

        assertThatThrownBy(() -> MirrorDirectory.read(root, new ZipInspector(ArchiveLimits.DEFAULT)))
                .isInstanceOf(PackageException.class)
                .hasMessageContaining("registry.example.test/acme/dummy/1.0.0.json (linux_amd64)")
                .hasMessageContaining("terraform-provider-dummy_1.0.0_linux_amd64.zip does not match its recorded hash h1:");
    }

    @Test
    void aWrongZhHashIsCheckedToo() throws IOException {
        Path dir = root.resolve("registry.example.test/acme/dummy");
        TestZips.provider(dir.resolve("terraform-provider-dummy_1.0.0_linux_amd64.zip"), "dummy", "1.0.0", "l");
        writeIndex(dir, "1.0.0");
        Files.writeString(dir.resolve("1.0.0.json"), """
                {"archives":{"linux_amd64":{"url":"terraform-provider-dummy_1.0.0_linux_amd64.zip",
                  "hashes":["zh:0000000000000000000000000000000000000000000000000000000000000000"]}}}
                """);
        assertThatThrownBy(() -> MirrorDirectory.read(root, new ZipInspector(ArchiveLimits.DEFAULT))).isInstanceOf(PackageException.class)
                .hasMessageContaining("does not match its recorded hash zh:0000");
    }

    @Test
    void aMissingZipOrVersionFileOrAnUnsafeUrlIsRefused() throws IOException {
        Path dir = root.resolve("registry.example.test/acme/dummy");
        writeIndex(dir, "1.0.0");
        assertThatThrownBy(() -> MirrorDirectory.read(root, new ZipInspector(ArchiveLimits.DEFAULT))).hasMessageContaining("1.0.0.json is missing");

        Files.writeString(dir.resolve("1.0.0.json"), """
                {"archives":{"linux_amd64":{"url":"terraform-provider-dummy_1.0.0_linux_amd64.zip","hashes":["h1:x"]}}}
                """);
        assertThatThrownBy(() -> MirrorDirectory.read(root, new ZipInspector(ArchiveLimits.DEFAULT))).hasMessageContaining("terraform-provider-dummy_1.0.0_linux_amd64.zip is missing");

        Files.writeString(dir.resolve("1.0.0.json"), """
                {"archives":{"linux_amd64":{"url":"../../../../etc/passwd","hashes":["h1:x"]}}}
                """);
        assertThatThrownBy(() -> MirrorDirectory.read(root, new ZipInspector(ArchiveLimits.DEFAULT))).hasMessageContaining("is not a file name beside the JSON");
    }

    @Test
    void aDirectoryWithoutIndexesIsNotAMirror() throws IOException {
        Files.createDirectories(root.resolve("something/else"));
        assertThatThrownBy(() -> MirrorDirectory.read(root, new ZipInspector(ArchiveLimits.DEFAULT))).isInstanceOf(PackageException.class)
                .hasMessageContaining("terraform providers mirror");
    }

    private static void writeIndex(Path dir, String... versions) throws IOException {
        Files.createDirectories(dir);
        StringBuilder json = new StringBuilder("{\n  \"versions\": {");
        for (int i = 0; i < versions.length; i++) {
            json.append(i == 0 ? "\n" : ",\n").append("    \"").append(versions[i]).append("\": {}");
        }
        Files.writeString(dir.resolve("index.json"), json.append("\n  }\n}").toString());
    }

    private static void writeVersion(Path dir, String version, Map<String, Path> zips) throws IOException {
        StringBuilder json = new StringBuilder("{\n  \"archives\": {");
        boolean first = true;
        for (Map.Entry<String, Path> e : zips.entrySet()) {
            json.append(first ? "\n" : ",\n").append("    \"").append(e.getKey()).append("\": {\n      \"hashes\": [\n        \"")
                    .append(PackageHashes.h1Of(e.getValue())).append("\"\n      ],\n      \"url\": \"")
                    .append(e.getValue().getFileName()).append("\"\n    }");
            first = false;
        }
        Files.writeString(dir.resolve(version + ".json"), json.append("\n  }\n}").toString());
    }
}
