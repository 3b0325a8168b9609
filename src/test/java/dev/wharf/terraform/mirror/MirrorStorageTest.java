package dev.wharf.terraform.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Layer;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.terraform.layout.MediaTypes;
import dev.wharf.terraform.layout.TerraformLayout;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the mirror's storage says when an archive stored without its hashes cannot be hashed. */
class MirrorStorageTest {
    private static final MirrorCoordinates DUMMY = new MirrorCoordinates("registry.example.test", "acme", "dummy");

    @TempDir
    Path dir;

    @Test
    void anArchiveWithoutHashesWhoseBlobIsDamagedIsAStorageFailure() throws Exception {
        Path zip = dir.resolve("p.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("terraform-provider-dummy_v1.0.0"));
            z.write("#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));
        }
        try (ImageLayoutStore store = new ImageLayoutStore(dir.resolve("oci"))) {
            MirrorStorage storage = new MirrorStorage(store, TerraformLayout.under("boring-registry"), Files.createDirectories(dir.resolve("tmp")));
            StoredArchive stored = storage.storeArchive(DUMMY, "1.0.0", "linux", "amd64", zip, PackageHashes.of(zip));
            // The same zip under a tag of its own, as a registry copy made without Wharf's annotations holds it.
            StoredArchive bare = new StoredArchive(stored.repository(), "bare", "1.0.0", "linux", "amd64");
            store.push(bare.repository(), bare.tag(), new Artifact(MediaTypes.PROVIDER_ARTIFACT,
                    List.of(Layer.file(MediaTypes.PROVIDER_ARCHIVE, "p.zip", BlobSource.ofFile(zip))), Map.of()), false);
            byte[] damaged = Files.readAllBytes(zip);
            damaged[damaged.length / 2] ^= 0x5a;
            try (Stream<Path> files = Files.walk(dir.resolve("oci"))) {
                String hex = Digest.sha256(Files.readAllBytes(zip)).hex();
                Files.write(files.filter(p -> p.getFileName().toString().equals(hex)).findFirst().orElseThrow(), damaged);
            }

            assertThatThrownBy(() -> storage.hashes(bare))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.CORRUPT))
                    .hasMessageContaining("cannot hash " + bare.repository() + "@sha256:");
        }
    }

    @Test
    void aStoredSingleKeySigningKeysFileKeepsItsKeyWhenKeysAreAdded() throws Exception {
        String legacy = "{\"key_id\":\"AAAA000011112222\",\"ascii_armor\":\"old armor\"}";
        try (ImageLayoutStore store = new ImageLayoutStore(dir.resolve("oci"))) {
            TerraformLayout layout = TerraformLayout.under("boring-registry");
            String repository = layout.mirrorOf(DUMMY.hostname()).signingKeysRepository(DUMMY.namespace());
            store.push(repository, TerraformLayout.SIGNING_KEYS_TAG, Artifact.single(MediaTypes.SIGNING_KEYS_ARTIFACT,
                    Layer.file(MediaTypes.SIGNING_KEYS, TerraformLayout.SIGNING_KEYS_TAG, BlobSource.ofBytes(legacy.getBytes(StandardCharsets.UTF_8)))),
                    true);
            MirrorStorage storage = new MirrorStorage(store, layout, Files.createDirectories(dir.resolve("tmp")));

            // A bucket import hands over its file as it is: the older form too.
            storage.addSigningKeys(DUMMY, "{\"key_id\":\"BBBB333344445555\",\"ascii_armor\":\"new armor\"}");

            var manifest = store.resolve(repository, TerraformLayout.SIGNING_KEYS_TAG).orElseThrow();
            String stored;
            try (var in = store.openBlob(repository, manifest.layers().get(0).digest())) {
                stored = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(stored).path("gpg_public_keys").findValuesAsText("key_id"))
                    .containsExactly("AAAA000011112222", "BBBB333344445555");
        }
    }
}
