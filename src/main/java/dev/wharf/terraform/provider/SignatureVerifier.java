package dev.wharf.terraform.provider;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.jspecify.annotations.Nullable;

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

    /**
     * The primary key id of the first key in an armored public key, as {@code signing-keys.json}
     * records it. The text must be one armored public key block (it may hold several keys) and
     * nothing else: every client that asks for a provider is sent it whole, and terraform reads
     * only its first block, so a second block, a private key after the public one (the file
     * {@code gpg --export} and {@code --export-secret-keys} make together) or other text is refused.
     */
    public static String primaryKeyId(String asciiArmor) {
        String stripped = asciiArmor.strip();
        if (stripped.contains("-----BEGIN PGP PRIVATE KEY BLOCK-----")) {
            throw new SignatureException("the key text holds a private key; publish only the public key, which every client"
                    + " is sent (gpg --armor --export KEYID, not --export-secret-keys)");
        }
        int blocks = stripped.split("-----BEGIN PGP ", -1).length - 1;
        if (blocks > 1) {
            throw new SignatureException("the key text holds " + blocks + " armored blocks; terraform reads only the first:"
                    + " give one public key block (gpg --armor --export KEYID ... exports several keys in one)");
        }
        if (!stripped.startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----") || !stripped.endsWith("-----END PGP PUBLIC KEY BLOCK-----")) {
            throw new SignatureException("not an ASCII-armored OpenPGP public key: the text must be one"
                    + " -----BEGIN PGP PUBLIC KEY BLOCK----- block and nothing around it");
        }
        return keyId(ringsIn(asciiArmor).get(0).getPublicKey().getKeyID());
    }

    /**
     * The keys of an armored public key block, in the order it holds them; fails unless it holds
     * public keys only. Only its first armored block is read, as terraform reads a signing key.
     */
    public static PGPPublicKeyRingCollection readRings(String asciiArmor) {
        return new PGPPublicKeyRingCollection(ringsIn(asciiArmor));
    }

    private static List<PGPPublicKeyRing> ringsIn(String asciiArmor) {
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(asciiArmor.getBytes(StandardCharsets.UTF_8)))) {
            PGPObjectFactory objects = new PGPObjectFactory(in, new BcKeyFingerprintCalculator());
            for (Object object = objects.nextObject(); object != null; object = objects.nextObject()) {
                if (object instanceof PGPPublicKeyRing ring) {
                    rings.add(ring);
                } else if (object instanceof PGPSecretKeyRing) {
                    throw new SignatureException("the key text holds a private key; publish only the public key, which every"
                            + " client is sent (gpg --armor --export KEYID, not --export-secret-keys)");
                } else {
                    throw new SignatureException("not an ASCII-armored OpenPGP public key: it holds " + object.getClass().getSimpleName());
                }
            }
            if (rings.isEmpty()) {
                throw new SignatureException("no OpenPGP public key found in the key text");
            }
            return rings;
        } catch (IOException | RuntimeException e) {
            if (e instanceof SignatureException s) {
                throw s;
            }
            throw new SignatureException("not an ASCII-armored OpenPGP public key: " + e.getMessage());
        }
    }

    /** The key or subkey with this id among every key of the entry's armor (terraform checks against them all). */
    private static @Nullable PGPPublicKey findKey(SigningKeys.GpgPublicKey entry, long keyId) {
        try {
            return readRings(entry.asciiArmor()).getPublicKey(keyId);
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
