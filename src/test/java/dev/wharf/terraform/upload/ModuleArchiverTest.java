package dev.wharf.terraform.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.terraform.layout.ArchiveFormat;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleArchiverTest {
    @TempDir
    Path dir;

    @Test
    void sameFilesGiveTheSameBytesWhateverTheirTimesAndOrder() throws Exception {
        Path a = module(dir.resolve("a"), List.of("main.tf", "sub/x.tf", "README.md"));
        Path b = module(dir.resolve("b"), List.of("README.md", "sub/x.tf", "main.tf"));
        Files.setLastModifiedTime(b.resolve("main.tf"), FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
        for (ArchiveFormat format : ArchiveFormat.values()) {
            assertThat(archive(a, format)).as(format.name()).isEqualTo(archive(b, format));
        }
    }

    @Test
    void leavesOutGitTerraformAndExcludedFiles() throws Exception {
        Path m = module(dir.resolve("m"), List.of("main.tf", ".git/config", ".terraform/modules.json", "docs/big.png", "x.tfstate", "sub/y.tfstate"));
        ModuleArchiver archiver = new ModuleArchiver(ExcludePatterns.of(List.of("*.tfstate", "docs/")));
        assertThat(archiver.files(m)).containsExactly("main.tf");
    }

    @Test
    void characterClassesAndEscapesExcludeAsInBoringRegistry() throws Exception {
        Path m = module(dir.resolve("c"), List.of("main.tf", "test1.tf", "notes.md", "README.txt", "*.bak", "keep.bak"));
        ModuleArchiver archiver = new ModuleArchiver(ExcludePatterns.of(List.of("test[0-9].tf", "*.[m]d", "\\*.bak")));
        assertThat(archiver.files(m)).containsExactly("README.txt", "keep.bak", "main.tf");
    }

    @Test
    void anchoredPatternsMatchFromTheRootOnly() {
        ExcludePatterns patterns = ExcludePatterns.of(List.of("/top.txt", "**/deep/*.log"));
        assertThat(patterns.excludes("top.txt", false)).isTrue();
        assertThat(patterns.excludes("sub/top.txt", false)).isFalse();
        assertThat(patterns.excludes("a/b/deep/x.log", false)).isTrue();
        assertThat(patterns.excludes("deep/x.log", false)).isTrue();
    }

    private static Path module(Path root, List<String> files) throws Exception {
        for (String f : files) {
            Path p = root.resolve(f);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "content of " + f);
        }
        return root;
    }

    private static byte[] archive(Path root, ArchiveFormat format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ModuleArchiver(ExcludePatterns.none()).write(root, format, out);
        return out.toByteArray();
    }
}
