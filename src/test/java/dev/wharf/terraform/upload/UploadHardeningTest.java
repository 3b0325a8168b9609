package dev.wharf.terraform.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.Digest;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.archive.EntryNames;
import dev.wharf.oci.archive.ZipInspector;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.terraform.layout.ArchiveFormat;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.testing.HostileZips;
import dev.wharf.testing.HostileZips.Bomb;
import dev.wharf.testing.HostileZips.Entry;
import dev.wharf.testing.PgpKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and careless input to {@code upload module} and {@code upload provider}: every one refused
 * with one error naming what is wrong, before anything is pushed, and no error quoting a file from
 * outside the module.
 */
class UploadHardeningTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "root:$6$not-a-real-hash:19000:0:99999:7:::";
    private static final TerraformLayout LAYOUT = TerraformLayout.under("boring-registry");

    @TempDir
    Path dir;
    private ArtifactStore store;
    private Path outside;

    @BeforeEach
    void setUp() throws Exception {
        store = new ImageLayoutStore(dir.resolve("oci"));
        outside = Files.writeString(Files.createDirectories(dir.resolve("outside")).resolve("shadow"), SECRET + "\n");
    }

    @Test
    void aFileNamedWithBackslashesIsRefusedNamingItAndNothingIsRead() throws Exception {
        for (ArchiveFormat format : ArchiveFormat.values()) {
            Path module = module(dir.resolve("backslash-" + format.extension()), "1.0.0");
            Files.writeString(module.resolve("..\\..\\..\\..\\etc\\hostname"), "the module's own file");
            assertThatThrownBy(() -> uploader(false, Optional.empty(), format).upload(module)).isInstanceOf(UploadException.class)
                    .hasMessageContaining("file '..\\\\..\\\\..\\\\..\\\\etc\\\\hostname' has a backslash in its name");
            assertThat(store.listTags(LAYOUT.moduleRepository("acme", "vpc", "aws"))).as(format.name()).isEmpty();
        }
    }

    @Test
    void aLinkLeadingOutOfTheModuleStopsTheUploadNamingItAndItsTargetWithoutReadingIt() throws Exception {
        for (String link : List.of("secret.tf", "etc")) {
            Path module = module(dir.resolve("links-" + link), "1.0.0");
            Files.createSymbolicLink(module.resolve(link), link.equals("etc") ? outside.getParent() : outside);
            assertThatThrownBy(() -> uploader(false, Optional.empty(), ArchiveFormat.TAR_GZ).upload(module))
                    .isInstanceOf(UploadException.class)
                    .hasMessageContaining("'" + link + "' is a symbolic link to '" + Files.readSymbolicLink(module.resolve(link))
                            + "', which leads out of the module directory " + module)
                    .hasMessageNotContaining("$6$");
        }
        assertThat(store.listTags(LAYOUT.moduleRepository("acme", "vpc", "aws"))).isEmpty();
    }

    @Test
    void aSymlinkedSpecFileIsRefusedWithoutQuotingItsTarget() throws Exception {
        for (boolean recursive : List.of(false, true)) {
            Path module = Files.createDirectories(dir.resolve("spec-link-" + recursive));
            Files.writeString(module.resolve("main.tf"), "# module\n");
            Files.createSymbolicLink(module.resolve(ModuleSpecReader.FILE_NAME), outside);
            assertThatThrownBy(() -> uploader(recursive, Optional.of("1.0.0").filter(v -> !recursive), ArchiveFormat.TAR_GZ).upload(module))
                    .as("recursive " + recursive).isInstanceOf(UploadException.class)
                    .hasMessageContaining("is a symbolic link").hasMessageNotContaining("root").hasMessageNotContaining("$6$");
        }
        assertThat(store.listTags(LAYOUT.moduleRepository("acme", "vpc", "aws"))).isEmpty();
    }

    @Test
    void aVersionWrittenWithALeadingVAsBoringRegistryAcceptsItIsRefusedSayingHowToWriteIt() throws Exception {
        Path module = module(dir.resolve("v"), "v1.4.0");
        assertThatThrownBy(() -> uploader(true, Optional.empty(), ArchiveFormat.TAR_GZ).upload(module))
                .hasMessageContaining("version 'v1.4.0' is not a semantic version")
                .hasMessageContaining("write it without the leading 'v': 1.4.0");
        assertThatThrownBy(() -> uploader(false, Optional.of("V2.0.0-rc.1"), ArchiveFormat.TAR_GZ))
                .hasMessageContaining("write it without the leading 'v': 2.0.0-rc.1");
        // Only a 'v' before a version gets the hint; other malformed versions keep the plain reason.
        Path other = module(dir.resolve("other"), "version1");
        assertThatThrownBy(() -> uploader(true, Optional.empty(), ArchiveFormat.TAR_GZ).upload(other))
                .hasMessageContaining("version 'version1' is not a semantic version").hasMessageNotContaining("leading");
        assertThat(store.listTags(LAYOUT.moduleRepository("acme", "vpc", "aws"))).isEmpty();
    }

    /** boring-registry: with --version the spec passes only ValidateWithoutVersion, "metadata.version must be empty". */
    @Test
    void aVersionInTheSpecFileAndAnotherFromTheFlagAreRefusedNamingBoth() throws Exception {
        Path module = module(dir.resolve("both"), "1.0.0");
        for (String flag : List.of("1.2.3", "1.0.0")) {
            assertThatThrownBy(() -> uploader(false, Optional.of(flag), ArchiveFormat.TAR_GZ).upload(module))
                    .isInstanceOf(UploadException.class)
                    .hasMessageContaining(module.resolve(ModuleSpecReader.FILE_NAME) + ": metadata sets version 1.0.0 and --version gives " + flag)
                    .hasMessageContaining("give the version in one place only");
        }
        assertThat(store.listTags(LAYOUT.moduleRepository("acme", "vpc", "aws"))).isEmpty();
    }

    @Test
    void versionsTerraformCannotReadAreRefusedWithTheReason() throws Exception {
        String huge = "99999999999999999999.0.0";
        Path module = module(dir.resolve("huge"), huge);
        assertThatThrownBy(() -> uploader(true, Optional.empty(), ArchiveFormat.TAR_GZ).upload(module))
                .hasMessageContaining("99999999999999999999").hasMessageContaining("64-bit");
        assertThatThrownBy(() -> uploader(false, Optional.of("1.9223372036854775808.0"), ArchiveFormat.TAR_GZ))
                .hasMessageContaining("--version").hasMessageContaining("64-bit");
        Path largest = module(dir.resolve("largest"), "9223372036854775807.0.0");
        uploader(true, Optional.empty(), ArchiveFormat.TAR_GZ).upload(largest);
        assertThat(store.listTags(LAYOUT.moduleRepository("acme", "vpc", "aws"))).hasSize(1);

        PgpKeys key = PgpKeys.generate("Wharf Hardening <hardening@example.test>");
        signingKey(key);
        Path sums = release(huge, key, List.of(Entry.file("terraform-provider-dummy_v" + huge, "#!/bin/sh\n")));
        assertThatThrownBy(() -> providers().upload("acme", sums, List.of(), false))
                .isInstanceOf(UploadException.class).hasMessageContaining("64-bit");
        assertThat(store.listTags(LAYOUT.providerRepository("acme", "dummy"))).isEmpty();
    }

    @Test
    void correctlySignedZipSlipProvidersAreRefusedBeforeAnythingIsPushed() throws Exception {
        PgpKeys key = PgpKeys.generate("Wharf Hardening <hardening@example.test>");
        signingKey(key);
        List<List<Entry>> hostile = List.of(
                List.of(Entry.file("terraform-provider-dummy_v1.0.0", "#!/bin/sh\n"), Entry.file("../../../../tmp/x", "pwned")),
                List.of(Entry.file("terraform-provider-dummy_v1.0.0", "#!/bin/sh\n"), Entry.file("/etc/abs", "pwned")),
                List.of(Entry.file("terraform-provider-dummy_v1.0.0", "#!/bin/sh\n"), Entry.file("..\\..\\evil", "pwned")),
                List.of(Entry.file("terraform-provider-dummy_v1.0.0", "#!/bin/sh\n"), Entry.symlink("docs", "/etc")));
        for (List<Entry> entries : hostile) {
            Path sums = release("1.0.0", key, entries);
            assertThatThrownBy(() -> providers().upload("acme", sums, List.of(), false)).as(entries.get(1).name())
                    .isInstanceOf(UploadException.class).hasMessageContaining("is refused: entry '" + EntryNames.printable(entries.get(1).name()) + "'");
            assertThat(store.listTags(LAYOUT.providerRepository("acme", "dummy"))).isEmpty();
        }
    }

    @Test
    void aSignedProviderZipBombIsRefusedBeforeAnythingIsPushed() throws Exception {
        PgpKeys key = PgpKeys.generate("Wharf Hardening <hardening@example.test>");
        signingKey(key);
        Path sums = release("1.0.0", key, List.of(Entry.file("terraform-provider-dummy_v1.0.0", "#!/bin/sh\n")),
                List.of(Bomb.honest("LICENSE", 1024L << 20)));
        assertThatThrownBy(() -> providers().upload("acme", sums, List.of(), false)).isInstanceOf(UploadException.class)
                .hasMessageContaining("compression ratio");
        assertThat(store.listTags(LAYOUT.providerRepository("acme", "dummy"))).isEmpty();
    }

    /**
     * "Never overwritten" holds for what terraform installs, not only for the tag: 1.0.0+build and
     * 1.0.0 are one version to terraform (build metadata is not compared), which keeps the first it
     * is given, so a second spelling could change what an existing pin installs.
     */
    @Test
    void aVersionThatDiffersFromAStoredOneOnlyInBuildMetadataIsRefused() throws Exception {
        uploader(false, Optional.empty(), ArchiveFormat.TAR_GZ).upload(module(dir.resolve("m100"), "1.0.0"));
        assertThatThrownBy(() -> uploader(false, Optional.empty(), ArchiveFormat.TAR_GZ).upload(module(dir.resolve("m100b"), "1.0.0+build.2")))
                .isInstanceOf(UploadException.class)
                .hasMessage("module acme/vpc/aws version 1.0.0+build.2 is version 1.0.0 to terraform, which is stored: versions that"
                        + " differ only in build metadata are one version, never overwritten (use --ignore-existing to skip existing versions)");
        uploader(false, Optional.empty(), ArchiveFormat.TAR_GZ).upload(module(dir.resolve("m200b"), "2.0.0+build.1"));
        assertThatThrownBy(() -> uploader(false, Optional.empty(), ArchiveFormat.TAR_GZ).upload(module(dir.resolve("m200"), "2.0.0")))
                .isInstanceOf(UploadException.class).hasMessageContaining("version 2.0.0 is version 2.0.0+build.1 to terraform");
        uploader(false, Optional.empty(), ArchiveFormat.TAR_GZ).upload(module(dir.resolve("m200rc"), "2.0.0-rc.1+build.1"));
        assertThat(store.listTags(LAYOUT.moduleRepository("acme", "vpc", "aws"))).hasSize(3);

        PgpKeys key = PgpKeys.generate("Wharf Hardening <hardening@example.test>");
        signingKey(key);
        Entry binary = Entry.file("terraform-provider-dummy_v1.0.0", "#!/bin/sh\n");
        assertThat(providers().upload("acme", release("1.0.0", key, List.of(binary)), List.of(), false)).isTrue();
        Path again = release("1.0.0+b", key, List.of(binary));
        assertThatThrownBy(() -> providers().upload("acme", again, List.of(), false)).isInstanceOf(VersionExistsException.class)
                .hasMessageContaining("provider acme/dummy version 1.0.0+b is version 1.0.0 to terraform");
        assertThat(store.listTags(LAYOUT.providerRepository("acme", "dummy"))).as("1.0.0's three files, nothing of 1.0.0+b")
                .hasSize(3).noneMatch(t -> t.contains("__b"));
    }

    private Path module(Path root, String version) throws Exception {
        Files.createDirectories(root);
        Files.writeString(root.resolve(ModuleSpecReader.FILE_NAME),
                "metadata {\n namespace = \"acme\"\n name = \"vpc\"\n provider = \"aws\"\n version = \"" + version + "\"\n}\n");
        Files.writeString(root.resolve("main.tf"), "output \"v\" { value = \"" + version + "\" }\n");
        return root;
    }

    private ModuleUploader uploader(boolean recursive, Optional<String> version, ArchiveFormat format) {
        return new ModuleUploader(store, LAYOUT, new ModuleUploader.Options(recursive, false, Optional.empty(), Optional.empty(),
                version, ExcludePatterns.none(), format), m -> { });
    }

    private ProviderUploader providers() {
        return new ProviderUploader(store, LAYOUT, new ProviderService(store, LAYOUT, JSON), JSON, new ZipInspector(ArchiveLimits.DEFAULT), m -> { });
    }

    private void signingKey(PgpKeys key) throws Exception {
        Path armored = Files.writeString(dir.resolve("key.asc"), key.armoredPublicKey());
        new SigningKeyUploader(store, LAYOUT, new ProviderService(store, LAYOUT, JSON), JSON).add("acme", armored);
    }

    private Path release(String version, PgpKeys key, List<Entry> entries) throws Exception {
        return release(version, key, entries, List.of());
    }

    /** A correctly signed one-platform release whose zip holds exactly {@code entries} (and {@code bombs}). */
    private Path release(String version, PgpKeys key, List<Entry> entries, List<Bomb> bombs) throws Exception {
        Path releaseDir = Files.createTempDirectory(dir, "release-");
        String name = "terraform-provider-dummy_" + version + "_linux_amd64.zip";
        Path zip = HostileZips.write(releaseDir.resolve(name), new ArrayList<>(entries), bombs);
        String sums = Digest.sha256(Files.readAllBytes(zip)).hex() + "  " + name + "\n";
        Path sumsFile = Files.writeString(releaseDir.resolve("terraform-provider-dummy_" + version + "_SHA256SUMS"), sums);
        Files.write(releaseDir.resolve(sumsFile.getFileName() + ".sig"), key.detachedSignature(sums.getBytes(StandardCharsets.UTF_8)));
        return sumsFile;
    }
}
