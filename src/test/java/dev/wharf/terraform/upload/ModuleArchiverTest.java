package dev.wharf.terraform.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.archive.ArchiveRefusedException;
import dev.wharf.terraform.layout.ArchiveFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
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

    @Test
    void aLinkInsideTheModuleIsArchivedAsTheContentItLeadsTo() throws Exception {
        Path m = module(dir.resolve("inside"), List.of("main.tf", "common/variables.tf", "shared/outputs.tf"));
        Files.createSymbolicLink(m.resolve("variables.tf"), Path.of("common/variables.tf"));
        Files.createSymbolicLink(m.resolve("sub"), Path.of("shared"));
        Files.createSymbolicLink(m.resolve("again.tf"), Path.of("variables.tf"));
        List<String> names = List.of("again.tf", "common/variables.tf", "main.tf", "shared/outputs.tf", "sub/outputs.tf", "variables.tf");
        assertThat(new ModuleArchiver(ExcludePatterns.none()).files(m)).containsExactlyElementsOf(names);
        for (ArchiveFormat format : ArchiveFormat.values()) {
            Map<String, String> entries = entries(archive(m, format), format);
            assertThat(entries.keySet()).as(format.name()).containsExactlyElementsOf(names);
            assertThat(entries.get("variables.tf")).isEqualTo("content of common/variables.tf");
            assertThat(entries.get("again.tf")).isEqualTo("content of common/variables.tf");
            assertThat(entries.get("sub/outputs.tf")).isEqualTo("content of shared/outputs.tf");
        }
    }

    @Test
    void aLinkLeadingOutDanglingOrLoopingIsRefusedNamingItAndItsTarget() throws Exception {
        Path common = module(dir.resolve("common"), List.of("variables.tf"));
        Path out = module(dir.resolve("out"), List.of("main.tf"));
        Files.createSymbolicLink(out.resolve("variables.tf"), Path.of("../common/variables.tf"));
        Path outDir = module(dir.resolve("out-dir"), List.of("main.tf"));
        Files.createSymbolicLink(outDir.resolve("common"), common);
        Path dangling = module(dir.resolve("dangling"), List.of("main.tf"));
        Files.createSymbolicLink(dangling.resolve("gone.tf"), Path.of("nowhere.tf"));
        Path loop = module(dir.resolve("loop"), List.of("main.tf", "sub/x.tf"));
        Files.createSymbolicLink(loop.resolve("sub/up"), Path.of(".."));
        ModuleArchiver archiver = new ModuleArchiver(ExcludePatterns.none());
        for (ArchiveFormat format : ArchiveFormat.values()) {
            assertThatThrownBy(() -> archive(out, format)).isInstanceOf(ArchiveRefusedException.class)
                    .hasMessageStartingWith("'variables.tf' is a symbolic link to '../common/variables.tf', which leads out of the module directory " + out);
            assertThatThrownBy(() -> archive(outDir, format))
                    .hasMessageStartingWith("'common' is a symbolic link to '" + common + "', which leads out of the module directory");
            assertThatThrownBy(() -> archive(dangling, format))
                    .hasMessageStartingWith("'gone.tf' is a symbolic link to 'nowhere.tf', which does not exist");
            assertThatThrownBy(() -> archive(loop, format))
                    .hasMessageStartingWith("'sub/up' is a symbolic link to '..', a directory that holds the link itself");
        }
        // An excluded link is not looked at: --exclude is the way to publish without it.
        assertThat(new ModuleArchiver(ExcludePatterns.of(List.of("variables.tf"))).files(out)).containsExactly("main.tf");
        assertThat(new ModuleArchiver(ExcludePatterns.of(List.of("gone.tf"))).files(dangling)).containsExactly("main.tf");
        assertThatThrownBy(() -> archiver.files(out)).isInstanceOf(ArchiveRefusedException.class);
    }

    /**
     * Two links to the next level's directory at each of twenty levels made a walk of a million paths
     * out of a module of one file: the walk stops past {@link 10000} linked paths.
     */
    @Test
    void linksToDirectoriesThatRepeatAMillionPathsAreRefusedOnceTheBoundIsPassed() throws Exception {
        Path m = module(dir.resolve("fan"), List.of("main.tf", "l20/leaf.tf"));
        for (int level = 0; level < 20; level++) {
            Files.createDirectories(m.resolve("l" + level));
            Files.createSymbolicLink(m.resolve("l" + level + "/a"), Path.of("../l" + (level + 1)));
            Files.createSymbolicLink(m.resolve("l" + level + "/b"), Path.of("../l" + (level + 1)));
        }
        assertThatThrownBy(() -> new ModuleArchiver(ExcludePatterns.none()).files(m)).isInstanceOf(ArchiveRefusedException.class)
                .hasMessageStartingWith("the module's symbolic links lead to more than " + ModuleFiles.MAX_LINKED + " files and directories");
        // Without the fan of links the same module is a few files, links to directories inside it included.
        Path small = module(dir.resolve("small"), List.of("main.tf", "l2/leaf.tf"));
        for (int level = 0; level < 2; level++) {
            Files.createDirectories(small.resolve("l" + level));
            Files.createSymbolicLink(small.resolve("l" + level + "/a"), Path.of("../l" + (level + 1)));
            Files.createSymbolicLink(small.resolve("l" + level + "/b"), Path.of("../l" + (level + 1)));
        }
        assertThat(new ModuleArchiver(ExcludePatterns.none()).files(small)).hasSize(2 + 2 + 4);
    }

    /** Entry name to content, in archive order. */
    private static Map<String, String> entries(byte[] archive, ArchiveFormat format) throws Exception {
        Map<String, String> entries = new LinkedHashMap<>();
        ArchiveInputStream<?> in = format == ArchiveFormat.ZIP ? new ZipArchiveInputStream(new ByteArrayInputStream(archive))
                : new TarArchiveInputStream(new GzipCompressorInputStream(new ByteArrayInputStream(archive)));
        try (in) {
            for (ArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                assertThat(e instanceof TarArchiveEntry tar ? tar.isFile() : !e.isDirectory()).as(e.getName()).isTrue();
                entries.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
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
