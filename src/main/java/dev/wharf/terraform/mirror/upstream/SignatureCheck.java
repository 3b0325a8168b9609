package dev.wharf.terraform.mirror.upstream;

/**
 * Verifies a release's detached OpenPGP signature over its SHA256SUMS against the signing keys the
 * upstream published; throws with the reason when it does not verify, returns the signing key id.
 */
@FunctionalInterface
public interface SignatureCheck {
    String verify(byte[] sha256Sums, byte[] signature, String signingKeysJson);
}
