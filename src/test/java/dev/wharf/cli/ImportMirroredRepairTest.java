package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.Digest;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.PgpKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code boring-registry import} of a bucket copy's mirrored release into a network mirror whose SHA256SUMS and
 * signature of that release were lost (an operator, a retention policy) while its zips stayed: a stored zip is never
 * imported or pulled again, so only the import can store them again, checked as on a first import. Storage is
 * Debian's docker-registry on 127.0.0.1.
 */
class ImportMirroredRepairTest {
    private static final String REPOSITORY = "boring-registry";
    private static final String HOST = "registry.terraform.io";
    private static final String MIRRORED = TerraformLayout.under(REPOSITORY).mirrorOf(HOST).providerRepository("hashicorp", "mirrored");
    private static final String ITEM = "mirrored provider registry.terraform.io/hashicorp/mirrored 3.2.1";
    private static final String SUMS = "terraform-provider-mirrored_3.2.1_SHA256SUMS";
    private static final String SIGNATURE = SUMS + ".sig";
    private static final String LINUX = "terraform-provider-mirrored_3.2.1_linux_amd64.zip";
    private static final String DARWIN = "terraform-provider-mirrored_3.2.1_darwin_arm64.zip";

    @TempDir
    Path dir;

    private DockerRegistryServer registry;
    private ArtifactStore store;
    private final PgpKeys key = PgpKeys.generate("Upstream <upstream@wharf.invalid>");

    @BeforeEach
    void start() {
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        store = new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty()));
    }

    @AfterEach
    void stop() {
        store.close();
        registry.close();
    }

    @Test
    void aMirroredReleaseThatLostItsSumsGetsThemAgainFromTheNextImport() throws Exception {
        byte[] linux = zip("linux");
        Path bucket = bucket(dir.resolve("bucket"), Map.of(LINUX, linux), Map.of(LINUX, linux, DARWIN, zip("darwin")));
        assertThat(importing(bucket).out()).contains("copied        " + ITEM);
        byte[] sums = storedContent(SUMS);
        byte[] signature = storedContent(SIGNATURE);
        store.delete(MIRRORED, SUMS);
        store.delete(MIRRORED, SIGNATURE);

        Run dry = importing(bucket, "--dry-run");
        assertThat(dry.out()).contains("would copy    " + ITEM + ": would store again its lost SHA256SUMS and signature"
                + " (1 archive already there), signed by ");
        assertThat(store.exists(MIRRORED, SUMS)).isFalse();

        // On the old code: "already there", and the SHA256SUMS and signature missing for good.
        Run run = importing(bucket);
        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.out()).contains("copied        " + ITEM + ": stored again its lost SHA256SUMS and signature"
                + " (1 archive already there), signed by ");
        assertThat(store.exists(MIRRORED, SUMS)).as("SHA256SUMS stored again").isTrue();
        assertThat(storedContent(SUMS)).isEqualTo(sums);
        assertThat(storedContent(SIGNATURE)).isEqualTo(signature);

        assertThat(importing(bucket).out()).contains("already there " + ITEM);
    }

    /**
     * The bucket's SHA256SUMS, correctly signed, lists another zip than the one the mirror holds for a platform the
     * bucket does not hold: stored, they would tell terraform the stored zip is not the release's.
     */
    @Test
    void sumsListingAnotherZipThanTheStoredOneAreRefusedAndNothingIsStored() throws Exception {
        byte[] linux = zip("linux");
        assertThat(importing(bucket(dir.resolve("bucket"), Map.of(LINUX, linux), Map.of(LINUX, linux))).exit()).isZero();
        store.delete(MIRRORED, SUMS);
        store.delete(MIRRORED, SIGNATURE);
        byte[] darwin = zip("darwin");
        byte[] anotherLinux = zip("another linux");
        Path other = bucket(dir.resolve("other"), Map.of(DARWIN, darwin), Map.of(LINUX, anotherLinux, DARWIN, darwin));

        // On the old code: "copied", the SHA256SUMS stored listing another linux zip than the stored one.
        Run run = importing(other);
        assertThat(run.exit()).as(run.out()).isEqualTo(1);
        assertThat(run.out()).contains("refused       " + ITEM + ": " + SUMS + " lists zh:" + Digest.sha256(anotherLinux).hex()
                + " for " + LINUX + ", but the mirror holds zh:" + Digest.sha256(linux).hex()
                + " under that name; its SHA256SUMS and signature are not stored");
        assertThat(store.exists(MIRRORED, SUMS)).isFalse();
        assertThat(store.exists(MIRRORED, SIGNATURE)).isFalse();
        assertThat(store.exists(MIRRORED, DARWIN)).isFalse();
    }

    private record Run(int exit, String out) {
    }

    private Run importing(Path bucket, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("import", "--storage-oci-registry", registry.url(),
                "--storage-oci-repository", REPOSITORY));
        args.addAll(List.of(extra));
        args.add(bucket.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(args.toArray(String[]::new));
        assertThat(err.toString()).as("stderr").doesNotContain("Exception");
        return new Run(exit, out + err.toString());
    }

    /**
     * A bucket copy holding one mirrored release: {@code zips} lie in it, and its SHA256SUMS, signed by {@link #key},
     * lists {@code listed}.
     */
    private Path bucket(Path root, Map<String, byte[]> zips, Map<String, byte[]> listed) throws IOException {
        Path namespace = Files.createDirectories(root.resolve("mirror/providers").resolve(HOST).resolve("hashicorp"));
        Path release = Files.createDirectories(namespace.resolve("mirrored"));
        for (Map.Entry<String, byte[]> zip : zips.entrySet()) {
            Files.write(release.resolve(zip.getKey()), zip.getValue());
        }
        StringBuilder sums = new StringBuilder();
        new java.util.TreeMap<>(listed).forEach((name, zip) -> sums.append(Digest.sha256(zip).hex()).append("  ").append(name).append('\n'));
        byte[] content = sums.toString().getBytes(StandardCharsets.UTF_8);
        Files.write(release.resolve(SUMS), content);
        Files.write(release.resolve(SIGNATURE), key.detachedSignature(content));
        String keyId = dev.wharf.terraform.provider.SignatureVerifier.primaryKeyId(key.armoredPublicKey());
        Files.writeString(namespace.resolve("signing-keys.json"), new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                Map.of("gpg_public_keys", List.of(Map.of("key_id", keyId, "ascii_armor", key.armoredPublicKey())))));
        return root;
    }

    private byte[] storedContent(String tag) throws IOException {
        Manifest manifest = store.resolve(MIRRORED, tag).orElseThrow();
        try (InputStream in = store.openBlob(MIRRORED, manifest.layers().get(0).digest())) {
            return in.readAllBytes();
        }
    }

    private static byte[] zip(String script) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("terraform-provider-mirrored_v3.2.1"));
            zip.write(("#!/bin/sh\necho " + script + "\n").getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return out.toByteArray();
    }
}
