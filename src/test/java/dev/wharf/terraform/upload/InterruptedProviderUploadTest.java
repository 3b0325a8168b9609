package dev.wharf.terraform.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.Digest;
import dev.wharf.oci.ScratchFolder;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.archive.ZipInspector;
import dev.wharf.oci.auth.CredentialSource;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.oci.registry.RegistryTimeouts;
import dev.wharf.oci.registry.RetryPolicy;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.provider.ProviderAddress;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.FaultProxy;
import dev.wharf.testing.FaultProxy.Fault;
import dev.wharf.testing.HostileZips;
import dev.wharf.testing.HostileZips.Entry;
import dev.wharf.testing.PgpKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A provider upload that the registry stops between the SHA256SUMS and its signature (the last two
 * tags): the release is not listed, and the same upload run again completes it. It had answered
 * "already exists; it is never overwritten" from then on, a version no upload could repair and no
 * client could install. Another release of that version is still refused.
 */
class InterruptedProviderUploadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TerraformLayout LAYOUT = TerraformLayout.under("boring-registry");
    private static final RegistryTimeouts SHORT = new RegistryTimeouts(Duration.ofMillis(500), Duration.ofMillis(700),
            Duration.ofMillis(700), Duration.ofMillis(1500));
    private static final RetryPolicy RETRY = new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(1));

    private Path dir;
    private DockerRegistryServer registry;
    private FaultProxy proxy;
    private RegistryArtifactStore store;
    private final PgpKeys key = PgpKeys.generate("a <a@wharf.invalid>");

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory("interrupted-upload-");
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        proxy = FaultProxy.before(registry.host());
        store = new RegistryArtifactStore(new RegistrySettings("http://" + proxy.host(), false, Optional.empty(), SHORT),
                CredentialSource.fixed(new Credentials.Anonymous(), "test"), RETRY, null);
        new SigningKeyUploader(store, LAYOUT, new ProviderService(store, LAYOUT, JSON), JSON)
                .add("acme", Files.writeString(dir.resolve("key.asc"), key.armoredPublicKey()));
    }

    @AfterEach
    void stop() {
        store.close();
        proxy.close();
        registry.close();
        ScratchFolder.deleteTree(dir);
    }

    @Test
    void anUploadStoppedBeforeItsSignatureIsCompletedByTheSameUploadAndNotByAnother() throws Exception {
        Path sums = release("first", "#!/bin/sh\necho one\n");
        proxy.inject(Fault.STATUS_500, r -> r.method().equals("PUT") && r.path().contains("/manifests/") && r.path().endsWith("SHA256SUMS.sig"));
        assertThatThrownBy(() -> uploader().upload("acme", sums, List.of(), false)).hasMessageContaining("500");
        proxy.heal();
        String repository = LAYOUT.providerRepository("acme", "dummy");
        assertThat(store.listTags(repository)).contains("terraform-provider-dummy_1.0.0_SHA256SUMS")
                .doesNotContain("terraform-provider-dummy_1.0.0_SHA256SUMS.sig");

        Path other = release("other", "#!/bin/sh\necho two\n");
        assertThatThrownBy(() -> uploader().upload("acme", other, List.of(), true))
                .hasMessageContaining("is already stored with different content; it is never overwritten");

        assertThat(uploader().upload("acme", sums, List.of(), false)).isTrue();
        assertThat(store.listTags(repository)).contains("terraform-provider-dummy_1.0.0_SHA256SUMS.sig");
        assertThat(new ProviderService(store, LAYOUT, JSON).versions(new ProviderAddress("acme", "dummy"))
                .value()).extracting(v -> v.version()).containsExactly("1.0.0");
        assertThat(uploader().upload("acme", sums, List.of(), true)).isFalse();
    }

    private ProviderUploader uploader() {
        return new ProviderUploader(store, LAYOUT, new ProviderService(store, LAYOUT, JSON), JSON, new ZipInspector(ArchiveLimits.DEFAULT), m -> { });
    }

    /** A signed one-platform release of version 1.0.0 whose binary says {@code script}, in its own folder. */
    private Path release(String folder, String script) throws Exception {
        Path releaseDir = Files.createDirectories(dir.resolve(folder));
        String name = "terraform-provider-dummy_1.0.0_linux_amd64.zip";
        Path zip = HostileZips.write(releaseDir.resolve(name), new ArrayList<>(List.of(Entry.file("terraform-provider-dummy_v1.0.0", script))),
                List.of());
        String sums = Digest.sha256(Files.readAllBytes(zip)).hex() + "  " + name + "\n";
        Path sumsFile = Files.writeString(releaseDir.resolve("terraform-provider-dummy_1.0.0_SHA256SUMS"), sums);
        Files.write(releaseDir.resolve(sumsFile.getFileName() + ".sig"), key.detachedSignature(sums.getBytes(StandardCharsets.UTF_8)));
        return sumsFile;
    }
}
