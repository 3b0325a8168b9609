package dev.wharf.terraform.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.archive.ZipInspector;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.testing.HostileZips;
import dev.wharf.testing.HostileZips.Bomb;
import dev.wharf.testing.HostileZips.Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile provider zips reaching the mirror by {@code upload mirror} and by pull-through: refused, nothing stored. */
class MirrorHardeningTest {
    private static final MirrorCoordinates DUMMY = new MirrorCoordinates("registry.example.test", "acme", "dummy");
    private static final String REPO = "boring-registry/mirror/providers/registry.example.test/acme/dummy";
    private static final ZipInspector INSPECTOR = new ZipInspector(ArchiveLimits.DEFAULT);
    private static final List<List<Entry>> HOSTILE = List.of(
            List.of(Entry.file("terraform-provider-dummy_v1.0.0", "#!/bin/sh\n"), Entry.file("../../../../tmp/x", "pwned")),
            List.of(Entry.file("terraform-provider-dummy_v1.0.0", "#!/bin/sh\n"), Entry.file("/etc/abs", "pwned")),
            List.of(Entry.file("terraform-provider-dummy_v1.0.0", "#!/bin/sh\n"), Entry.file("..\\..\\evil", "pwned")),
            List.of(Entry.file("terraform-provider-dummy_v1.0.0", "#!/bin/sh\n"), Entry.file("nul\u0000.txt", "pwned")),
            List.of(Entry.file("terraform-provider-dummy_v1.0.0", "#!/bin/sh\n"), Entry.symlink("docs", "/etc")));

    @TempDir
    Path temp;
    private ArtifactStore store;
    private MirrorStorage storage;
    private StaticUpstream upstream;

    @BeforeEach
    void setUp() throws Exception {
        store = new ImageLayoutStore(temp.resolve("oci"));
        storage = new MirrorStorage(store, TerraformLayout.under("boring-registry"), Files.createDirectories(temp.resolve("tmp")));
        upstream = new StaticUpstream();
    }

    @AfterEach
    void tearDown() {
        upstream.close();
    }

    @Test
    void uploadMirrorRefusesHostileZipsWhoseHashesAreRight() throws Exception {
        for (List<Entry> entries : HOSTILE) {
            Path mirror = Files.createTempDirectory(temp, "mirror-");
            Path dir = Files.createDirectories(mirror.resolve("registry.example.test/acme/dummy"));
            Path zip = HostileZips.write(dir.resolve("terraform-provider-dummy_1.0.0_linux_amd64.zip"), entries);
            writeListing(dir, "1.0.0", zip);
            assertThatThrownBy(() -> new MirrorUpload(storage, INSPECTOR).upload(mirror)).as(entries.get(1).name())
                    .isInstanceOf(PackageException.class).hasMessageContaining("is refused: entry '");
            assertThat(store.listTags(REPO)).isEmpty();
        }
    }

    @Test
    void uploadMirrorRefusesABomb() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("mirror/registry.example.test/acme/dummy"));
        Path zip = HostileZips.write(dir.resolve("terraform-provider-dummy_1.0.0_linux_amd64.zip"),
                List.of(Entry.file("terraform-provider-dummy_v1.0.0", "#!/bin/sh\n")), List.of(Bomb.honest("CHANGELOG.md", 1024L << 20)));
        writeListing(dir, "1.0.0", zip);
        assertThatThrownBy(() -> new MirrorUpload(storage, INSPECTOR).upload(temp.resolve("mirror")))
                .isInstanceOf(PackageException.class).hasMessageContaining("compression ratio");
        assertThat(store.listTags(REPO)).isEmpty();
    }

    @Test
    void uploadMirrorRefusesVersionsTerraformCannotRead() throws Exception {
        String huge = "99999999999999999999.0.0";
        Path dir = Files.createDirectories(temp.resolve("mirror/registry.example.test/acme/dummy"));
        Path zip = TestZips.provider(dir.resolve("terraform-provider-dummy_" + huge + "_linux_amd64.zip"), "dummy", huge, "l");
        writeListing(dir, huge, zip);
        assertThatThrownBy(() -> new MirrorUpload(storage, INSPECTOR).upload(temp.resolve("mirror")))
                .isInstanceOf(PackageException.class).hasMessageContaining(huge).hasMessageContaining("64-bit");
        assertThat(store.listTags(REPO)).isEmpty();
    }

    @Test
    void uploadMirrorReadsNothingThroughLinksOutOfTheDirectory() throws Exception {
        Path outside = Files.writeString(Files.createDirectories(temp.resolve("outside")).resolve("shadow"), "root:$6$secret:::\n");
        Path zipOutside = TestZips.provider(temp.resolve("outside/terraform-provider-dummy_1.0.0_linux_amd64.zip"), "dummy", "1.0.0", "l");
        Path dir = Files.createDirectories(temp.resolve("mirror/registry.example.test/acme/dummy"));
        Files.writeString(dir.resolve("index.json"), "{\"versions\":{\"1.0.0\":{}}}");
        Files.createSymbolicLink(dir.resolve("1.0.0.json"), outside);
        assertThatThrownBy(() -> new MirrorUpload(storage, INSPECTOR).upload(temp.resolve("mirror"))).isInstanceOf(PackageException.class)
                .hasMessageContaining("1.0.0.json is a symbolic link leading out of").hasMessageNotContaining("root").hasMessageNotContaining("$6$");

        Files.delete(dir.resolve("1.0.0.json"));
        Files.createSymbolicLink(dir.resolve(zipOutside.getFileName()), zipOutside);
        writeListing(dir, "1.0.0", zipOutside);
        assertThatThrownBy(() -> new MirrorUpload(storage, INSPECTOR).upload(temp.resolve("mirror"))).isInstanceOf(PackageException.class)
                .hasMessageContaining(zipOutside.getFileName() + " is a symbolic link leading out of");
        assertThat(store.listTags(REPO)).isEmpty();
    }

    @Test
    void pullThroughRefusesHostileZipsTheUpstreamSignedAndStoresNothing() throws Exception {
        for (int i = 0; i < HOSTILE.size(); i++) {
            List<Entry> entries = HOSTILE.get(i);
            String version = "1.0." + i;
            upstream.publish(temp.resolve("up"), "dummy", version, List.of("linux_amd64"), (zip, platform) -> HostileZips.write(zip, entries));
            MirrorService service = new MirrorService(storage, Optional.of(new PullThrough(upstream.client(), storage, temp.resolve("tmp"), INSPECTOR)));
            assertThatThrownBy(() -> service.archive(DUMMY, version, "linux", "amd64")).as(entries.get(1).name())
                    .isInstanceOfSatisfying(MirrorException.class, e -> assertThat(e.reason()).isEqualTo(MirrorException.Reason.UPSTREAM_FAILED))
                    .hasMessageContaining("is refused: entry '");
            assertThat(store.listTags(REPO)).isEmpty();
        }
        try (var left = Files.list(temp.resolve("tmp"))) {
            assertThat(left).isEmpty();
        }
    }

    private static void writeListing(Path dir, String version, Path zip) throws Exception {
        Files.writeString(dir.resolve("index.json"), "{\"versions\":{\"" + version + "\":{}}}");
        Files.writeString(dir.resolve(version + ".json"), "{\"archives\":{\"linux_amd64\":{\"hashes\":[\"" + PackageHashes.zhOf(zip)
                + "\"],\"url\":\"" + zip.getFileName() + "\"}}}");
    }
}
