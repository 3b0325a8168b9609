package dev.wharf.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Date;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyEncryptorBuilder;

/**
 * OpenPGP signing keys for tests, made with Bouncy Castle: an RSA key whose self-signature carries
 * KeyFlags SIGN_DATA (without it terraform reports "authentication signature from unknown issuer"),
 * exported armored, and binary detached signatures as terraform wants them. Also keys Fleet refuses
 * to verify with (expired, revoked, a broken self-signature, an encryption-only subkey) and one that
 * signs with a subkey.
 */
public final class PgpKeys {
    private final PGPKeyPair keyPair;
    private final PGPPublicKeyRing publicRing;
    private final PGPSecretKeyRing secretRing;

    private PgpKeys(PGPKeyPair keyPair, PGPPublicKeyRing publicRing, PGPSecretKeyRing secretRing) {
        this.keyPair = keyPair;
        this.publicRing = publicRing;
        this.secretRing = secretRing;
    }

    public static PgpKeys generate(String userId) {
        return generate(userId, new Date(), 0);
    }

    /**
     * A key created {@code created}, its self-signature then too, valid {@code expiresAfterSeconds}
     * from then (0: never expires).
     */
    public static PgpKeys generate(String userId, Date created, long expiresAfterSeconds) {
        try {
            PGPKeyPair pair = rsaPair(created);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setKeyFlags(false, KeyFlags.SIGN_DATA | KeyFlags.CERTIFY_OTHER);
            hashed.setSignatureCreationTime(false, created);
            if (expiresAfterSeconds > 0) {
                hashed.setKeyExpirationTime(false, expiresAfterSeconds);
            }
            PGPKeyRingGenerator generator = ringGenerator(pair, userId, hashed);
            return new PgpKeys(pair, generator.generatePublicKeyRing(), generator.generateSecretKeyRing());
        } catch (java.security.GeneralSecurityException | PGPException e) {
            throw new IllegalStateException("cannot generate an OpenPGP key", e);
        }
    }

    /**
     * A primary key that only certifies, with an RSA subkey that signs the data: bound for signing
     * (flag SIGN_DATA and the subkey's back-signature) when {@code subkeySigns}, else bound for
     * encryption only, as gpg's default encryption subkey is.
     */
    public static PgpKeys generateWithSubkey(String userId, boolean subkeySigns) {
        try {
            Date now = new Date();
            PGPKeyPair primary = rsaPair(now);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setKeyFlags(false, KeyFlags.CERTIFY_OTHER);
            PGPKeyRingGenerator generator = ringGenerator(primary, userId, hashed);
            PGPKeyPair subkey = rsaPair(now);
            PGPSignatureSubpacketGenerator binding = new PGPSignatureSubpacketGenerator();
            if (subkeySigns) {
                binding.setKeyFlags(false, KeyFlags.SIGN_DATA);
                generator.addSubKey(subkey, binding.generate(), null,
                        new JcaPGPContentSignerBuilder(subkey.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256));
            } else {
                binding.setKeyFlags(false, KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE);
                generator.addSubKey(subkey, binding.generate(), null);
            }
            return new PgpKeys(subkey, generator.generatePublicKeyRing(), generator.generateSecretKeyRing());
        } catch (java.security.GeneralSecurityException | PGPException e) {
            throw new IllegalStateException("cannot generate an OpenPGP key", e);
        }
    }

    /** This key with a revocation signature by itself ({@code reason}, such as RevocationReasonTags.KEY_COMPROMISED) made now. */
    public PgpKeys revoked(byte reason) {
        try {
            PGPSignatureGenerator generator = new PGPSignatureGenerator(
                    new JcaPGPContentSignerBuilder(keyPair.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256), keyPair.getPublicKey());
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setRevocationReason(false, reason, "test");
            generator.setHashedSubpackets(hashed.generate());
            generator.init(PGPSignature.KEY_REVOCATION, keyPair.getPrivateKey());
            PGPSignature revocation = generator.generateCertification(keyPair.getPublicKey());
            PGPPublicKey key = PGPPublicKey.addCertification(publicRing.getPublicKey(), revocation);
            return new PgpKeys(keyPair, PGPPublicKeyRing.insertPublicKey(publicRing, key), secretRing);
        } catch (PGPException e) {
            throw new IllegalStateException("cannot revoke", e);
        }
    }

    /** This key with its user ID's self-signature replaced by one its key made over another user ID, which does not verify. */
    public PgpKeys withBrokenSelfSignature() {
        return withSelfSignatureOver("someone else <else@wharf.invalid>", new Date());
    }

    /**
     * This key with its user ID's self-signature made again at {@code at} (and the older one gone), as
     * Elastic's key was on 2023-09-05: a signature made before {@code at} has no self-signature before it.
     */
    public PgpKeys withSelfSignatureRemadeAt(Date at) {
        return withSelfSignatureOver(publicRing.getPublicKey().getUserIDs().next(), at);
    }

    /** This key with its user ID's self-signature replaced by one made at {@code at} over {@code signedUserId}. */
    private PgpKeys withSelfSignatureOver(String signedUserId, Date at) {
        try {
            PGPPublicKey key = publicRing.getPublicKey();
            String userId = key.getUserIDs().next();
            PGPSignatureGenerator generator = new PGPSignatureGenerator(
                    new JcaPGPContentSignerBuilder(key.getAlgorithm(), HashAlgorithmTags.SHA256), key);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setKeyFlags(false, KeyFlags.SIGN_DATA | KeyFlags.CERTIFY_OTHER);
            hashed.setSignatureCreationTime(false, at);
            generator.setHashedSubpackets(hashed.generate());
            generator.init(PGPSignature.POSITIVE_CERTIFICATION, keyPair.getPrivateKey());
            PGPSignature made = generator.generateCertification(signedUserId, key);
            PGPPublicKey replaced = PGPPublicKey.addCertification(PGPPublicKey.removeCertification(key, userId), userId, made);
            return new PgpKeys(keyPair, PGPPublicKeyRing.insertPublicKey(publicRing, replaced), secretRing);
        } catch (PGPException e) {
            throw new IllegalStateException("cannot sign", e);
        }
    }

    private static PGPKeyPair rsaPair(Date created) throws java.security.GeneralSecurityException, PGPException {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048, new SecureRandom());
        return new JcaPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, rsa.generateKeyPair(), created);
    }

    private static PGPKeyRingGenerator ringGenerator(PGPKeyPair pair, String userId, PGPSignatureSubpacketGenerator hashed)
            throws PGPException {
        var sha1 = new JcaPGPDigestCalculatorProviderBuilder().build().get(HashAlgorithmTags.SHA1);
        return new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, pair, userId, sha1,
                hashed.generate(), null, new JcaPGPContentSignerBuilder(pair.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256),
                new JcePBESecretKeyEncryptorBuilder(SymmetricKeyAlgorithmTags.NULL).build(new char[0]));
    }

    public String armoredPublicKey() {
        return armored(publicRing::encode);
    }

    /** The private key, armored, as {@code gpg --armor --export-secret-keys} writes it (unprotected). */
    public String armoredSecretKey() {
        return armored(secretRing::encode);
    }

    /** Several public keys in one armored block, as {@code gpg --armor --export A B} writes them. */
    public static String armoredPublicKeys(PgpKeys... keys) {
        return armored(out -> {
            for (PgpKeys key : keys) {
                key.publicRing.encode(out);
            }
        });
    }

    private interface Encoder {
        void encode(OutputStream out) throws IOException;
    }

    private static String armored(Encoder encoder) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
            encoder.encode(armored);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    /** The primary key's fingerprint in upper-case hex, as {@code gpg --fingerprint} shows it without spaces. */
    public String fingerprint() {
        return java.util.HexFormat.of().formatHex(publicRing.getPublicKey().getFingerprint()).toUpperCase(java.util.Locale.ROOT);
    }

    /** The public key as {@code gpg --export} writes it without {@code --armor}. */
    public byte[] binaryPublicKey() {
        try {
            return publicRing.getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A binary (not armored) detached signature over {@code content}. */
    public byte[] detachedSignature(byte[] content) {
        return detachedSignature(content, PGPSignature.BINARY_DOCUMENT, HashAlgorithmTags.SHA256, new Date());
    }

    /**
     * A binary detached signature of {@code type} (a text-mode one hashes {@code content} as Bouncy
     * Castle canonicalises it: every CR, LF and CRLF made CRLF) with {@code hashAlgorithm}, dated {@code created}.
     */
    public byte[] detachedSignature(byte[] content, int type, int hashAlgorithm, Date created) {
        try {
            PGPPrivateKey key = keyPair.getPrivateKey();
            PGPSignatureGenerator generator = new PGPSignatureGenerator(
                    new JcaPGPContentSignerBuilder(keyPair.getPublicKey().getAlgorithm(), hashAlgorithm), keyPair.getPublicKey());
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, created);
            generator.setHashedSubpackets(hashed.generate());
            generator.init(type, key);
            generator.update(content);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (OutputStream o = out) {
                generator.generate().encode(o);
            }
            return out.toByteArray();
        } catch (PGPException | IOException e) {
            throw new IllegalStateException("cannot sign", e);
        }
    }

    /** Binary signatures (each one or more packets) in one armoured block, in this order. */
    public static String armoredSignatures(byte[]... signatures) {
        return armored(out -> {
            for (byte[] signature : signatures) {
                out.write(signature);
            }
        });
    }

    /** An ASCII-armoured detached signature over {@code content}, as Elastic signs its package zips. */
    public String armoredDetachedSignature(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
            armored.write(detachedSignature(content));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
