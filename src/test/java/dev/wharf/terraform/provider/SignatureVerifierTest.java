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

    @Test
    void parsesSha256SumsWithLineNumbersInErrors() {
        Sha256Sums sums = Sha256Sums.parse(("a".repeat(64) + "  f.zip\n" + "B".repeat(64) + " *g.zip\n").getBytes(StandardCharsets.UTF_8), "S");
        assertThat(sums.sha256Of("g.zip")).contains("b".repeat(64));
        assertThatThrownBy(() -> Sha256Sums.parse(("a".repeat(64) + "  f.zip\nnonsense\n").getBytes(StandardCharsets.UTF_8), "S"))
                .hasMessageContaining("S line 2");
    }
}
