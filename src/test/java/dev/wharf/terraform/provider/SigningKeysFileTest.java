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

    /** Each expectation below is what Go's encoding/json gave for the same input (boring-registry's structs, go1.19 run). */
    @Test
    void memberNamesAreMatchedWhateverTheirCaseAsGoReadsThem() throws Exception {
        assertThat(read("{\"GPG_Public_Keys\":[{\"Key_ID\":\"ABCDEF0123456789\",\"ASCII_Armor\":\"armor\",\"Source\":\"HashiCorp\","
                + "\"SOURCE_URL\":\"https://example.test\"}]}").gpgPublicKeys())
                .containsExactly(new SigningKeys.GpgPublicKey("ABCDEF0123456789", "armor", null, "HashiCorp", "https://example.test"));
        assertThat(read("{\"KEY_ID\":\"ABCDEF0123456789\",\"Ascii_Armor\":\"armor\"}").gpgPublicKeys())
                .containsExactly(new SigningKeys.GpgPublicKey("ABCDEF0123456789", "armor"));
        // Unicode simple folding, as bytes.EqualFold: the Kelvin sign is a 'k', the long s an 's'.
        assertThat(read("{\"\u212aey_id\":\"ABCDEF0123456789\",\"a\u017fcii_armor\":\"armor\"}").gpgPublicKeys())
                .containsExactly(new SigningKeys.GpgPublicKey("ABCDEF0123456789", "armor"));
        // Other spellings are other names.
        assertThatThrownBy(() -> read("{\"keyid\":\"ABCDEF0123456789\",\"ascii-armor\":\"armor\"}")).hasMessageContaining("neither");
    }

    @Test
    void ofTwoMembersDifferingInCaseTheLaterWinsAndANullClearsOnlyTheList() throws Exception {
        assertThat(read("{\"key_id\":\"AAAA\",\"KEY_ID\":\"BBBB\",\"ascii_armor\":\"x\"}").gpgPublicKeys())
                .extracting(SigningKeys.GpgPublicKey::keyId).containsExactly("BBBB");
        assertThat(read("{\"KEY_ID\":\"BBBB\",\"key_id\":\"AAAA\",\"ascii_armor\":\"x\"}").gpgPublicKeys())
                .extracting(SigningKeys.GpgPublicKey::keyId).containsExactly("AAAA");
        assertThat(read("{\"gpg_public_keys\":[{\"key_id\":\"AAAA\",\"KEY_id\":\"BBBB\",\"ascii_armor\":\"x\"}]}").gpgPublicKeys())
                .extracting(SigningKeys.GpgPublicKey::keyId).containsExactly("BBBB");
        // A null leaves a string as it was...
        assertThat(read("{\"key_id\":\"AAAA\",\"Key_Id\":null,\"ascii_armor\":\"x\"}").gpgPublicKeys())
                .extracting(SigningKeys.GpgPublicKey::keyId).containsExactly("AAAA");
        // ...and makes the list absent, so the object is read as a single key.
        assertThat(read("{\"gpg_public_keys\":[{\"key_id\":\"AAAA\",\"ascii_armor\":\"x\"}],\"GPG_PUBLIC_KEYS\":null,"
                + "\"key_id\":\"CCCC\",\"ascii_armor\":\"y\"}").gpgPublicKeys())
                .extracting(SigningKeys.GpgPublicKey::keyId).containsExactly("CCCC");
        assertThat(read("{\"gpg_public_keys\":[{\"key_id\":\"AAAA\",\"ascii_armor\":\"x\"}],\"Gpg_Public_Keys\":[]}").gpgPublicKeys())
                .isEmpty();
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
    void aLegacyOrUpperCaseFileInStorageGivesItsKeyToTheDownloadAnswer() {
        try (ImageLayoutStore store = new ImageLayoutStore(dir)) {
            TerraformLayout layout = TerraformLayout.under("boring-registry");
            store.push(layout.signingKeysRepository("acme"), TerraformLayout.SIGNING_KEYS_TAG, Artifact.single("application/vnd.wharf.test",
                    Layer.file("application/json", TerraformLayout.SIGNING_KEYS_TAG, BlobSource.ofBytes(LEGACY.getBytes(StandardCharsets.UTF_8)))),
                    true);
            String upperCase = "{\"GPG_PUBLIC_KEYS\":[{\"KEY_ID\":\"0123456789ABCDEF\",\"ASCII_ARMOR\":\"armor\"}]}";
            store.push(layout.signingKeysRepository("upper"), TerraformLayout.SIGNING_KEYS_TAG, Artifact.single("application/vnd.wharf.test",
                    Layer.file("application/json", TerraformLayout.SIGNING_KEYS_TAG, BlobSource.ofBytes(upperCase.getBytes(StandardCharsets.UTF_8)))),
                    true);
            ProviderService service = new ProviderService(store, layout, JSON);
            assertThat(service.signingKeys("acme").orElseThrow().gpgPublicKeys()).extracting(SigningKeys.GpgPublicKey::keyId)
                    .containsExactly("ABCDEF0123456789");
            assertThat(service.signingKeys("upper").orElseThrow().gpgPublicKeys()).extracting(SigningKeys.GpgPublicKey::keyId)
                    .containsExactly("0123456789ABCDEF");
        }
    }
}
