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
 * exported armored, and binary detached signatures as terraform wants them.
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
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048, new SecureRandom());
            PGPKeyPair pair = new JcaPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, rsa.generateKeyPair(), new Date());
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setKeyFlags(false, KeyFlags.SIGN_DATA | KeyFlags.CERTIFY_OTHER);
            var sha1 = new JcaPGPDigestCalculatorProviderBuilder().build().get(HashAlgorithmTags.SHA1);
            PGPKeyRingGenerator generator = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, pair, userId, sha1,
                    hashed.generate(), null, new JcaPGPContentSignerBuilder(pair.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256),
                    new JcePBESecretKeyEncryptorBuilder(SymmetricKeyAlgorithmTags.NULL).build(new char[0]));
            return new PgpKeys(pair, generator.generatePublicKeyRing(), generator.generateSecretKeyRing());
        } catch (java.security.GeneralSecurityException | PGPException e) {
            throw new IllegalStateException("cannot generate an OpenPGP key", e);
        }
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
        try {
            PGPPrivateKey key = keyPair.getPrivateKey();
            PGPSignatureGenerator generator = new PGPSignatureGenerator(
                    new JcaPGPContentSignerBuilder(keyPair.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256), keyPair.getPublicKey());
            generator.init(PGPSignature.BINARY_DOCUMENT, key);
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
