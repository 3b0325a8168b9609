package dev.wharf.terraform.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.terraform.cache.CachingArtifactStore;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.terraform.provider.SignatureVerifier;
import dev.wharf.terraform.provider.SigningKeys;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.PgpKeys;
import dev.wharf.testing.SlowTagProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two writers of one namespace's keys in two processes (two stores, no shared lock), the second
 * one's write of {@code signing-keys.json} reaching the registry only after the first writer has
 * finished, checks and all: the interleaving that lost a key in ConcurrentSigningKeysTest (a writer
 * in a second, cold server process took longer from its read to its write than the first writer's
 * settle pause). No pause can cover a write that arrives arbitrarily late, so every key must
 * survive it.
 */
class SigningKeyLateWriteTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    final TerraformLayout layout = TerraformLayout.under("boring-registry");
    final ObjectMapper json = new ObjectMapper();
    DockerRegistryServer registry;
    SlowTagProxy proxy;

    @BeforeEach
    void start() {
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
        proxy = new SlowTagProxy(registry.host(), Duration.ZERO);
    }

    @AfterEach
    void stop() {
        proxy.close();
        registry.close();
    }

    @Test
    void aKeyListWrittenLateByAnotherWriterLosesNoKey() throws Exception {
        PgpKeys first = PgpKeys.generate("First <first@wharf.invalid>");
        PgpKeys early = PgpKeys.generate("Early <early@wharf.invalid>");
        PgpKeys late = PgpKeys.generate("Late <late@wharf.invalid>");
        try (ArtifactStore direct = store(registry.url()); ArtifactStore delayed = store(proxy.url())) {
            SigningKeyUploader one = uploader(direct);
            SigningKeyUploader other = uploader(delayed);
            one.addArmored("acme", first.armoredPublicKey(), "first.asc");

            SlowTagProxy.HeldPut held = proxy.holdNextManifestPut(TerraformLayout.SIGNING_KEYS_TAG);
            CompletableFuture<String> lateWriter = CompletableFuture.supplyAsync(
                    () -> other.addArmored("acme", late.armoredPublicKey(), "late.asc"));
            assertThat(held.awaitArrival(WAIT)).as("the late writer's signing-keys.json PUT reached the proxy").isTrue();
            // The late writer has read the list and sent its write; this writer reads, writes and checks meanwhile.
            one.addArmored("acme", early.armoredPublicKey(), "early.asc");
            held.release();
            lateWriter.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        try (ArtifactStore fresh = store(registry.url())) {
            List<String> stored = new ProviderService(fresh, layout, json).signingKeys("acme").map(SigningKeys::gpgPublicKeys)
                    .orElse(List.of()).stream().map(SigningKeys.GpgPublicKey::keyId).toList();
            assertThat(stored).as("every key added, none lost")
                    .containsExactlyInAnyOrder(idOf(first), idOf(early), idOf(late));
        }
    }

    SigningKeyUploader uploader(ArtifactStore store) {
        return new SigningKeyUploader(store, layout, new ProviderService(store, layout, json), json);
    }

    /** A store as a server has it: the registry behind the tag and manifest caches. */
    static ArtifactStore store(String url) {
        return new CachingArtifactStore(new RegistryArtifactStore(new RegistrySettings(url, false, Optional.empty())), Duration.ofSeconds(30));
    }

    static String idOf(PgpKeys key) {
        return SignatureVerifier.primaryKeyId(key.armoredPublicKey());
    }
}
