package dev.wharf.terraform.provider;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Checks a provider release's detached OpenPGP signature over its SHA256SUMS against a namespace's
 * keys, the way terraform will: the signature must be binary (terraform refuses an armored one) and
 * made by one of the keys or their subkeys.
 */
public final class SignatureVerifier {

    /** The key that made the signature, as a 16-hex-digit key id (upper case). */
    public String verify(byte[] signedContent, byte[] signature, SigningKeys keys) {
        if (looksArmored(signature)) {
            throw new SignatureException("the SHA256SUMS signature is ASCII-armored; terraform needs a binary detached"
                    + " signature (gpg --detach-sign, without --armor)");
        }
        PGPSignature sig = readSignature(signature);
        if (keys.gpgPublicKeys().isEmpty()) {
            throw new SignatureException("the namespace has no signing keys; add one first (upload signing-key)");
        }
        for (SigningKeys.GpgPublicKey entry : keys.gpgPublicKeys()) {
            PGPPublicKey key = findKey(entry, sig.getKeyID());
            if (key == null) {
                continue;
            }
            try {
                sig.init(new BcPGPContentVerifierBuilderProvider(), key);
                sig.update(signedContent);
                if (sig.verify()) {
                    return keyId(key.getKeyID());
                }
                throw new SignatureException("the SHA256SUMS signature by key " + keyId(sig.getKeyID())
                        + " does not match the SHA256SUMS content");
            } catch (PGPException e) {
                throw new SignatureException("cannot check the SHA256SUMS signature: " + e.getMessage());
            }
        }
        throw new SignatureException("the SHA256SUMS was signed by key " + keyId(sig.getKeyID())
                + ", which is not among the namespace's signing keys");
    }

    /** The primary key id of an armored public key, as {@code signing-keys.json} records it. */
    public static String primaryKeyId(String asciiArmor) {
        PGPPublicKeyRing ring = readRing(asciiArmor);
        return keyId(ring.getPublicKey().getKeyID());
    }

    /** Fails unless the text is an armored OpenPGP public key. */
    public static PGPPublicKeyRing readRing(String asciiArmor) {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(asciiArmor.getBytes(StandardCharsets.UTF_8)))) {
            PGPPublicKeyRingCollection rings = new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
            var iterator = rings.getKeyRings();
            if (!iterator.hasNext()) {
                throw new SignatureException("no OpenPGP public key found in the key text");
            }
            return iterator.next();
        } catch (IOException | PGPException | RuntimeException e) {
            if (e instanceof SignatureException s) {
                throw s;
            }
            throw new SignatureException("not an ASCII-armored OpenPGP public key: " + e.getMessage());
        }
    }

    private static PGPPublicKey findKey(SigningKeys.GpgPublicKey entry, long keyId) {
        try {
            return readRing(entry.asciiArmor()).getPublicKey(keyId);
        } catch (SignatureException e) {
            throw new SignatureException("signing key " + entry.keyId() + " in signing-keys.json is unreadable: " + e.getMessage());
        }
    }

    private static PGPSignature readSignature(byte[] signature) {
        try {
            PGPObjectFactory factory = new PGPObjectFactory(signature, new BcKeyFingerprintCalculator());
            Object object = factory.nextObject();
            if (object instanceof PGPSignatureList list && !list.isEmpty()) {
                return list.get(0);
            }
            throw new SignatureException("the signature file holds no OpenPGP signature");
        } catch (IOException | RuntimeException e) {
            if (e instanceof SignatureException s) {
                throw s;
            }
            throw new SignatureException("the signature file is not an OpenPGP signature: " + e.getMessage());
        }
    }

    private static boolean looksArmored(byte[] data) {
        String head = new String(data, 0, Math.min(data.length, 64), StandardCharsets.US_ASCII);
        return head.contains("-----BEGIN PGP");
    }

    static String keyId(long id) {
        return HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(8).putLong(id).array()).toUpperCase(Locale.ROOT);
    }
}
