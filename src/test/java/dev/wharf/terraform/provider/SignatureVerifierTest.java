package dev.wharf.terraform.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.testing.PgpKeys;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {
    private static final byte[] SUMS = "abc  terraform-provider-x_1.0.0_linux_amd64.zip\n".getBytes(StandardCharsets.UTF_8);
    private final PgpKeys key = PgpKeys.generate("a <a@wharf.invalid>");
    private final SigningKeys keys = new SigningKeys(List.of(new SigningKeys.GpgPublicKey(
            SignatureVerifier.primaryKeyId(key.armoredPublicKey()), key.armoredPublicKey())));

    @Test
    void acceptsABinarySignatureByANamespaceKey() {
        assertThat(new SignatureVerifier().verify(SUMS, key.detachedSignature(SUMS), keys)).isEqualTo(keys.gpgPublicKeys().get(0).keyId());
    }

    @Test
    void refusesChangedContentOtherKeysAndArmoredSignatures() {
        byte[] signature = key.detachedSignature(SUMS);
        assertThatThrownBy(() -> new SignatureVerifier().verify("changed".getBytes(StandardCharsets.UTF_8), signature, keys))
                .hasMessageContaining("does not match the SHA256SUMS content");
        PgpKeys other = PgpKeys.generate("b <b@wharf.invalid>");
        assertThatThrownBy(() -> new SignatureVerifier().verify(SUMS, other.detachedSignature(SUMS), keys))
                .hasMessageContaining("not among the namespace's signing keys");
        byte[] armored = "-----BEGIN PGP SIGNATURE-----\n\nxyz\n-----END PGP SIGNATURE-----\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> new SignatureVerifier().verify(SUMS, armored, keys)).hasMessageContaining("binary detached signature");
        assertThatThrownBy(() -> new SignatureVerifier().verify(SUMS, "junk".getBytes(StandardCharsets.US_ASCII), keys))
                .isInstanceOf(SignatureException.class);
    }

    /**
     * A key file is sent whole to every client that asks for a provider: the public key followed by
     * the private one (both exports in one file) had been stored and served, private key and all.
     */
    @Test
    void aKeyFileWithAPrivateKeyASecondBlockOrOtherTextIsRefused() {
        String pub = key.armoredPublicKey();
        assertThatThrownBy(() -> SignatureVerifier.primaryKeyId(pub + key.armoredSecretKey()))
                .isInstanceOf(SignatureException.class).hasMessageContaining("holds a private key");
        assertThatThrownBy(() -> SignatureVerifier.primaryKeyId(key.armoredSecretKey()))
                .isInstanceOf(SignatureException.class).hasMessageContaining("holds a private key");
        assertThatThrownBy(() -> SignatureVerifier.primaryKeyId(pub + PgpKeys.generate("b <b@wharf.invalid>").armoredPublicKey()))
                .isInstanceOf(SignatureException.class).hasMessageContaining("holds 2 armored blocks");
        assertThatThrownBy(() -> SignatureVerifier.primaryKeyId("pub   rsa2048 2026-12-06 [SC]\n" + pub))
                .isInstanceOf(SignatureException.class).hasMessageContaining("nothing around it");
        assertThat(SignatureVerifier.primaryKeyId("\n" + pub + "\n\n")).isEqualTo(keys.gpgPublicKeys().get(0).keyId());
    }

    /**
     * One block may hold several keys (gpg --armor --export A B): terraform checks a signature
     * against every one of them, and the id recorded is the first's in the file, not whichever a
     * hash map gave first.
     */
    @Test
    void everyKeyOfABlockVerifiesAndTheFirstNamesIt() {
        List<PgpKeys> more = List.of(PgpKeys.generate("b <b@wharf.invalid>"), PgpKeys.generate("c <c@wharf.invalid>"),
                PgpKeys.generate("d <d@wharf.invalid>"));
        String block = PgpKeys.armoredPublicKeys(key, more.get(0), more.get(1), more.get(2));
        String first = keys.gpgPublicKeys().get(0).keyId();
        assertThat(SignatureVerifier.primaryKeyId(block)).isEqualTo(first);
        SigningKeys all = new SigningKeys(List.of(new SigningKeys.GpgPublicKey(first, block)));
        for (PgpKeys signer : more) {
            assertThat(new SignatureVerifier().verify(SUMS, signer.detachedSignature(SUMS), all))
                    .isEqualTo(SignatureVerifier.primaryKeyId(signer.armoredPublicKey()));
        }
    }

    @Test
    void parsesSha256SumsWithLineNumbersInErrors() {
        Sha256Sums sums = Sha256Sums.parse(("a".repeat(64) + "  f.zip\n" + "B".repeat(64) + " *g.zip\n").getBytes(StandardCharsets.UTF_8), "S");
        assertThat(sums.sha256Of("g.zip")).contains("b".repeat(64));
        assertThatThrownBy(() -> Sha256Sums.parse(("a".repeat(64) + "  f.zip\nnonsense\n").getBytes(StandardCharsets.UTF_8), "S"))
                .hasMessageContaining("S line 2");
    }
}
