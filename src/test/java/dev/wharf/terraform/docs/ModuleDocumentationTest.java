package dev.wharf.terraform.docs;

import dev.wharf.testing.BlobOpenings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Layer;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.archive.ArchiveRefusedException;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.terraform.layout.MediaTypes;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.module.ModuleAddress;
import dev.wharf.terraform.module.ModuleService;
import dev.wharf.testing.HostileTars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A version's documentation is read from storage once: versions are immutable. */
class ModuleDocumentationTest {
    @TempDir
    Path dir;

    @Test
    void aVersionsDocumentationIsReadOnceAndThenKept() throws Exception {
        TerraformLayout layout = TerraformLayout.under("boring-registry");
        ImageLayoutStore store = new ImageLayoutStore(dir.resolve("layout"));
        byte[] archive = ModuleReaderTest.tarGz(Path.of("src/test/resources/terraform-docs/modules/platform"));
        store.push(layout.moduleRepository("acme", "platform", "aws"), layout.moduleTag("acme", "platform", "aws", "1.0.0"),
                new Artifact(MediaTypes.MODULE_ARTIFACT, List.of(Layer.file(MediaTypes.MODULE_TAR_GZ, "m.tar.gz", BlobSource.ofBytes(archive))),
                        Map.of()), false);
        ModuleDocumentation documentation = new ModuleDocumentation(new ModuleService(store, layout), ArchiveLimits.DEFAULT);
        ModuleAddress platform = new ModuleAddress("acme", "platform", "aws");

        ArchiveDocs first = documentation.of(platform, "1.0.0");
        assertThat(first.root().inputs()).extracting(ModuleDocs.Input::name).containsExactly("name", "node_groups", "subnet_ids");
        assertThat(first.submodules()).extracting(ModuleDocs::path).containsExactly("modules/cluster", "modules/node-group");
        // The archive's blob gone: a second read from storage would fail, the kept answer does not.
        try (Stream<Path> files = Files.walk(dir.resolve("layout"))) {
            String hex = Digest.sha256(archive).hex();
            for (Path blob : files.filter(p -> p.getFileName().toString().equals(hex)).toList()) {
                Files.delete(blob);
            }
        }
        assertThat(documentation.of(platform, "1.0.0")).isSameAs(first);
    }

    @Test
    void twoPaxHeadersBeforeOneEntryShowTheRefusalNotInputsTerraformNeverReads() throws Exception {
        // Go's reader keeps the second header's records alone, so terraform installs notes.txt, no configuration;
        // commons-compress applies both, the first's last, and would document its variable as an input of inputs.tf.
        TerraformLayout layout = TerraformLayout.under("boring-registry");
        ImageLayoutStore store = new ImageLayoutStore(dir.resolve("layout"));
        byte[] archive = HostileTars.start().file("main.tf", "variable \"shown\" {}\n").pax((byte) 'x', "path=inputs.tf")
                .pax((byte) 'x', "path=notes.txt").file("entry", "variable \"never_installed\" {}\n").end().gzipped();
        store.push(layout.moduleRepository("acme", "platform", "aws"), layout.moduleTag("acme", "platform", "aws", "1.0.0"),
                new Artifact(MediaTypes.MODULE_ARTIFACT, List.of(Layer.file(MediaTypes.MODULE_TAR_GZ, "m.tar.gz", BlobSource.ofBytes(archive))),
                        Map.of()), false);
        ModuleDocumentation documentation = new ModuleDocumentation(new ModuleService(store, layout), ArchiveLimits.DEFAULT);
        assertThatThrownBy(() -> documentation.of(new ModuleAddress("acme", "platform", "aws"), "1.0.0"))
                .isInstanceOf(ArchiveRefusedException.class).hasMessage("the tar holds a second PAX extended header before one entry (at byte"
                        + " 2048); Go's tar reader (terraform's unpacker) keeps only the last one's records, where this reader would apply both,"
                        + " so the readers would take the entry differently");
    }

    @Test
    void aRefusedArchiveIsRememberedByItsDigestNotInflatedAgainOnEveryView() throws Exception {
        TerraformLayout layout = TerraformLayout.under("boring-registry");
        BlobOpenings store = new BlobOpenings(new ImageLayoutStore(dir.resolve("layout")));
        // A sparse file: refused by the archive rules, whichever view asks.
        byte[] archive = HostileTars.start().file("main.tf", "variable \"a\" {}\n").gnuEntry("sparse.tf", (byte) 'S', 0, new byte[0]).end().gzipped();
        for (String version : List.of("1.0.0", "1.0.1")) {
            store.push(layout.moduleRepository("acme", "platform", "aws"), layout.moduleTag("acme", "platform", "aws", version),
                    new Artifact(MediaTypes.MODULE_ARTIFACT, List.of(Layer.file(MediaTypes.MODULE_TAR_GZ, "m.tar.gz", BlobSource.ofBytes(archive))),
                            Map.of()), false);
        }
        ModuleDocumentation documentation = new ModuleDocumentation(new ModuleService(store, layout), ArchiveLimits.DEFAULT);
        ModuleAddress platform = new ModuleAddress("acme", "platform", "aws");
        String refusal = catchThrowableOfType(ArchiveRefusedException.class, () -> documentation.of(platform, "1.0.0")).getMessage();
        for (int view = 0; view < 2; view++) {
            assertThatThrownBy(() -> documentation.of(platform, "1.0.0")).isInstanceOf(ArchiveRefusedException.class).hasMessage(refusal);
        }
        // Another version holding the same archive is the same bytes, refused alike without reading them.
        assertThatThrownBy(() -> documentation.of(platform, "1.0.1")).isInstanceOf(ArchiveRefusedException.class).hasMessage(refusal);
        assertThat(store.count()).as("archive blobs opened").isEqualTo(1);
    }

}
