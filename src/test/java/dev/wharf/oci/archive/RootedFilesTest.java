package dev.wharf.oci.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootedFilesTest {
    @TempDir
    Path dir;

    @Test
    void aBackslashInALinuxFileNameIsRefusedNotTurnedIntoASeparator() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path odd = Files.writeString(root.resolve("..\\..\\etc\\hostname"), "x");
        assertThatThrownBy(() -> RootedFiles.entryName(root, odd)).isInstanceOf(ArchiveRefusedException.class)
                .hasMessageContaining("file '..\\\\..\\\\etc\\\\hostname' has a backslash");
        assertThat(RootedFiles.entryName(root, Files.writeString(Files.createDirectories(root.resolve("sub")).resolve("a.tf"), "x")))
                .isEqualTo("sub/a.tf");
    }

    @Test
    void resolvesOnlyFilesThatReallyLieInside() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("shadow"), "secret");
        Files.writeString(root.resolve("inside.md"), "fine");
        Files.createSymbolicLink(Files.createDirectories(root.resolve("docs")).resolve("etc"), outside);
        Files.createSymbolicLink(root.resolve("docs/secret.md"), outside.resolve("shadow"));
        Files.createSymbolicLink(root.resolve("docs/alias.md"), root.resolve("inside.md"));
        Files.createSymbolicLink(root.resolve("docs/chain"), Path.of("etc"));
        Files.createSymbolicLink(root.resolve("dangling"), dir.resolve("nowhere"));

        assertThat(RootedFiles.resolve(root, "docs/etc/shadow")).isEmpty();
        assertThat(RootedFiles.resolve(root, "docs/chain/shadow")).isEmpty();
        assertThat(RootedFiles.resolve(root, "docs/secret.md")).isEmpty();
        assertThat(RootedFiles.resolve(root, "../outside/shadow")).isEmpty();
        assertThat(RootedFiles.resolve(root, "dangling")).isEmpty();
        assertThat(RootedFiles.resolve(root, "docs/alias.md")).isPresent();
        assertThat(RootedFiles.leaves(root, root.resolve("docs/etc"))).isTrue();
        assertThat(RootedFiles.leaves(root, root.resolve("docs/chain"))).isTrue();
        assertThat(RootedFiles.leaves(root, root.resolve("dangling"))).isTrue();
        assertThat(RootedFiles.leaves(root, root.resolve("docs/alias.md"))).isFalse();
    }
}
