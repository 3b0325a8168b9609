package dev.wharf.http;

import dev.wharf.oci.IoFailures;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Builds an in-memory key store from PEM files, accepting what openssl and certbot write: PKCS#8,
 * PKCS#1 RSA and SEC1 EC keys, and a certificate file holding the whole chain.
 */
final class PemKeyStore {
    static final char[] PASSWORD = new char[0];
    static final String ALIAS = "wharf";

    private PemKeyStore() {
    }

    static KeyStore load(Path certFile, Path keyFile) {
        try {
            List<Certificate> chain = readCertificates(certFile);
            PrivateKey key = readKey(keyFile);
            requireMatch(key, chain.get(0), certFile, keyFile);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, PASSWORD, chain.toArray(Certificate[]::new));
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot load TLS certificate " + certFile + " and key " + keyFile
                    + ": " + (e instanceof IOException io ? IoFailures.describe(io) : e.getMessage()), e);
        }
    }

    /**
     * The key must be the certificate's: a pair that does not match starts a server whose every
     * handshake fails, and a renewal read between its writes of the certificate and of the key is
     * such a pair. Proven by a signature the certificate's public key verifies.
     */
    private static void requireMatch(PrivateKey key, Certificate certificate, Path certFile, Path keyFile) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> "";
        };
        if (algorithm.isEmpty()) {
            return;  // a key type this check does not know: the handshake will tell
        }
        byte[] probe = "wharf: does this key belong to this certificate?".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        boolean matches;
        try {
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (InvalidKeyException | SignatureException e) {
            matches = false;  // an EC key against an RSA certificate, say
        }
        if (!matches) {
            throw new GeneralSecurityException("the key in " + keyFile + " is not the key of the first certificate in " + certFile);
        }
    }

    private static List<Certificate> readCertificates(Path file) throws IOException, GeneralSecurityException {
        List<Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof X509CertificateHolder holder) {
                    X509Certificate certificate = converter.getCertificate(holder);
                    chain.add(certificate);
                }
            }
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("no PEM certificate found in " + file);
        }
        return chain;
    }

    private static PrivateKey readKey(Path file) throws IOException, GeneralSecurityException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(file); PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
        }
        throw new GeneralSecurityException("no unencrypted PEM private key found in " + file);
    }
}
