package dev.wharf.terraform.mirror.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.terraform.provider.SignatureVerifier;
import dev.wharf.terraform.provider.SigningKeys;
import java.io.IOException;

/**
 * The real check: the upstream's {@code signing_keys} read as boring-registry's format, the binary
 * detached signature verified with the provider registry's own {@link SignatureVerifier}.
 */
public final class OpenPgpSignatureCheck implements SignatureCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SignatureVerifier verifier = new SignatureVerifier();

    @Override
    public String verify(byte[] sha256Sums, byte[] signature, String signingKeysJson) {
        SigningKeys keys;
        try {
            keys = JSON.readValue(signingKeysJson, SigningKeys.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("the upstream's signing_keys are not readable: " + e.getMessage(), e);
        }
        return verifier.verify(sha256Sums, signature, keys);
    }
}
