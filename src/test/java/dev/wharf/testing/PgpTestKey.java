package dev.wharf.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Date;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;

/**
 * An RSA OpenPGP signing key made for a test: its armored public key (with the KeyFlags subpacket
 * terraform needs) and binary detached signatures, as {@code gpg --detach-sign} writes them.
 */
public final class PgpTestKey {
    private static final String USER_ID = "Wharf Test <test@example.test>";
    private final PGPKeyPair pair;
    private final PGPPublicKey certified;

    private PgpTestKey(PGPKeyPair pair, PGPPublicKey certified) {
        this.pair = pair;
        this.certified = certified;
    }

    public static PgpTestKey generate() {
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            PGPKeyPair pair = new JcaPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.RSA_GENERAL,
                    rsa.generateKeyPair(), new Date());
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setKeyFlags(false, KeyFlags.SIGN_DATA | KeyFlags.CERTIFY_OTHER);
            PGPSignatureGenerator certifier = new PGPSignatureGenerator(
                    new JcaPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256), pair.getPublicKey());
            certifier.init(PGPSignature.POSITIVE_CERTIFICATION, pair.getPrivateKey());
            certifier.setHashedSubpackets(hashed.generate());
            PGPSignature certification = certifier.generateCertification(USER_ID, pair.getPublicKey());
            return new PgpTestKey(pair, PGPPublicKey.addCertification(pair.getPublicKey(), USER_ID, certification));
        } catch (GeneralSecurityException | PGPException e) {
            throw new IllegalStateException(e);
        }
    }

    public String armoredPublicKey() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ArmoredOutputStream armor = new ArmoredOutputStream(bytes)) {
                new PGPPublicKeyRing(List.of(certified)).encode(armor);
            }
            return bytes.toString(StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] detachedSignature(byte[] content) {
        try {
            PGPSignatureGenerator signer = new PGPSignatureGenerator(
                    new JcaPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256), pair.getPublicKey());
            signer.init(PGPSignature.BINARY_DOCUMENT, pair.getPrivateKey());
            signer.update(content);
            return signer.generate().getEncoded();
        } catch (PGPException | IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
