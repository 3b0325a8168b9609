package dev.wharf.terraform.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.archive.ZipInspector;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.terraform.layout.TerraformLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorUploadTest {
    private static final MirrorCoordinates DUMMY = new MirrorCoordinates("registry.example.test", "acme", "dummy");

    @TempDir
    Path temp;

    @Test
    void storesADirectoryThenSkipsWhatIsAlreadyThereAndRefusesChangedContent() throws Exception {
        ArtifactStore store = new ImageLayoutStore(temp.resolve("oci"));
        MirrorStorage storage = new MirrorStorage(store, TerraformLayout.under("boring-registry"), Files.createDirectories(temp.resolve("tmp")));
        Path dir = temp.resolve("mirror/registry.example.test/acme/dummy");
        Path zip = TestZips.provider(dir.resolve("terraform-provider-dummy_1.0.0_linux_amd64.zip"), "dummy", "1.0.0", "l");
        writeListing(dir, zip);

        MirrorUpload.Result first = new MirrorUpload(storage, new ZipInspector(ArchiveLimits.DEFAULT)).upload(temp.resolve("mirror"));
        MirrorUpload.Result second = new MirrorUpload(storage, new ZipInspector(ArchiveLimits.DEFAULT)).upload(temp.resolve("mirror"));

        assertThat(first.stored()).hasSize(1);
        assertThat(second.stored()).isEmpty();
        assertThat(second.skipped()).hasSize(1);
        MirrorService service = new MirrorService(storage, Optional.empty());
        assertThat(service.archives(DUMMY, "1.0.0").get("linux_amd64").hashes()).containsExactly(PackageHashes.h1Of(zip), PackageHashes.zhOf(zip));

        TestZips.provider(zip, "dummy", "1.0.0", "changed");
        writeListing(dir, zip);
        assertThatThrownBy(() -> new MirrorUpload(storage, new ZipInspector(ArchiveLimits.DEFAULT)).upload(temp.resolve("mirror")))
                .isInstanceOfSatisfying(MirrorException.class, e -> assertThat(e.reason()).isEqualTo(MirrorException.Reason.CONFLICT))
                .hasMessageContaining("registry.example.test/acme/dummy 1.0.0 linux_amd64");
    }

    private static void writeListing(Path dir, Path zip) throws Exception {
        Files.writeString(dir.resolve("index.json"), "{\"versions\":{\"1.0.0\":{}}}");
        Files.writeString(dir.resolve("1.0.0.json"), "{\"archives\":{\"linux_amd64\":{\"hashes\":[\"" + PackageHashes.h1Of(zip)
                + "\"],\"url\":\"" + zip.getFileName() + "\"}}}");
    }
}
