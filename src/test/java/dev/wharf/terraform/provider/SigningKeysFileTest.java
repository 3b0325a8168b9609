package dev.wharf.terraform.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Layer;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.terraform.layout.TerraformLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both forms boring-registry's storage reads (pkg/storage/storage.go unmarshalSigningKeys): the
 * list, and the older single key it still accepts "for legacy reasons".
 */
class SigningKeysFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LEGACY = "{\"key_id\":\"ABCDEF0123456789\",\"ascii_armor\":\"-----BEGIN PGP PUBLIC KEY BLOCK-----\"}";

    @TempDir
    Path dir;

    private static SigningKeys read(String content) throws IOException {
        return SigningKeysFile.read(JSON, content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theOlderSingleKeyFormIsOneKey() throws Exception {
        assertThat(read(LEGACY).gpgPublicKeys())
                .containsExactly(new SigningKeys.GpgPublicKey("ABCDEF0123456789", "-----BEGIN PGP PUBLIC KEY BLOCK-----"));
        assertThat(read("{\"gpg_public_keys\":null," + LEGACY.substring(1)).gpgPublicKeys()).hasSize(1);
    }

    @Test
    void theListFormIsTakenAsItIsEvenEmpty() throws Exception {
        assertThat(read("{\"gpg_public_keys\":[" + LEGACY + "]}").gpgPublicKeys()).extracting(SigningKeys.GpgPublicKey::keyId)
                .containsExactly("ABCDEF0123456789");
        // boring-registry falls back only when the list is missing or null.
        assertThat(read("{\"gpg_public_keys\":[]," + LEGACY.substring(1)).gpgPublicKeys()).isEmpty();
    }

    @Test
    void neitherFormIsRefusedSayingWhatIsExpected() {
        assertThatThrownBy(() -> read("{}")).hasMessageContaining("neither a \"gpg_public_keys\" list nor a single key")
                .hasMessageContaining("{\"key_id\":…,\"ascii_armor\":…}");
        assertThatThrownBy(() -> read("{\"key_id\":\"ABCDEF0123456789\",\"ascii_armor\":\"\"}"))
                .hasMessageContaining("non-empty key_id and ascii_armor");
        assertThatThrownBy(() -> read("[]")).hasMessageContaining("a JSON array, not {\"gpg_public_keys\"");
        assertThatThrownBy(() -> read("{\"gpg_public_keys\":{}}")).hasMessageContaining("\"gpg_public_keys\" is not a list");
        assertThatThrownBy(() -> read("")).hasMessageContaining("empty");
    }

    @Test
    void aLegacyFileInStorageGivesItsKeyToTheDownloadAnswer() {
        try (ImageLayoutStore store = new ImageLayoutStore(dir)) {
            TerraformLayout layout = TerraformLayout.under("boring-registry");
            store.push(layout.signingKeysRepository("acme"), TerraformLayout.SIGNING_KEYS_TAG, Artifact.single("application/vnd.wharf.test",
                    Layer.file("application/json", TerraformLayout.SIGNING_KEYS_TAG, BlobSource.ofBytes(LEGACY.getBytes(StandardCharsets.UTF_8)))),
                    true);
            ProviderService service = new ProviderService(store, layout, JSON);
            assertThat(service.signingKeys("acme").orElseThrow().gpgPublicKeys()).extracting(SigningKeys.GpgPublicKey::keyId)
                    .containsExactly("ABCDEF0123456789");
        }
    }
}
