package dev.wharf.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Self-signed certificates for tests, made in Java with BouncyCastle (no openssl call). */
public final class TestCertificates {
    private TestCertificates() {
    }

    /** A certificate with its key, and helpers to write it as PEM or to trust it. */
    public record SelfSigned(X509Certificate certificate, KeyPair keyPair) {

        public String certificatePem() {
            return pem(certificate);
        }

        /** The key as PKCS#8 ("PRIVATE KEY"), which both Go and BouncyCastle read. */
        public String privateKeyPem() {
            String body = java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(keyPair.getPrivate().getEncoded());
            return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
        }

        /** Writes {@code cert.pem} and {@code key.pem} (PKCS#8) into {@code dir}; returns the cert path. */
        public Path writePem(Path dir) throws IOException {
            Files.createDirectories(dir);
            Path cert = dir.resolve("cert.pem");
            Files.writeString(cert, certificatePem(), StandardCharsets.US_ASCII);
            Files.writeString(dir.resolve("key.pem"), privateKeyPem(), StandardCharsets.US_ASCII);
            return cert;
        }

        /** A key store holding only this certificate as a trusted entry. */
        public KeyStore trustStore() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setCertificateEntry("test-ca", certificate);
                return store;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Writes {@link #trustStore()} as a PKCS#12 file for {@code -Djavax.net.ssl.trustStore}. */
        public Path writeTrustStore(Path file, char[] password) throws IOException {
            try (OutputStream out = Files.newOutputStream(file)) {
                trustStore().store(out, password);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            return file;
        }

        /** A TLS context for a server presenting this certificate (a test's HTTPS server). */
        public SSLContext serverContext() {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                char[] password = "test".toCharArray();
                store.setKeyEntry("server", keyPair.getPrivate(), password, new java.security.cert.Certificate[] {certificate});
                javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, password);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(kmf.getKeyManagers(), null, null);
                return context;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** A TLS context that trusts this certificate and nothing else. */
        public SSLContext trustingContext() {
            try {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trustStore());
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, tmf.getTrustManagers(), null);
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** An EC P-256 server certificate valid for the given DNS names and IP addresses. */
    public static SelfSigned server(String commonName, List<String> dnsNames, List<String> ipAddresses) {
        return create(commonName, ecKeyPair(), dnsNames, ipAddresses, "SHA256withECDSA");
    }

    /** The usual certificate for a server on 127.0.0.1: SAN IP:127.0.0.1 and DNS:localhost. */
    public static SelfSigned localhost() {
        return server("localhost", List.of("localhost"), List.of("127.0.0.1"));
    }

    /** An RSA 2048 certificate, for signing RS256 tokens. */
    public static SelfSigned rsaSigner(String commonName) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return create(commonName, generator.generateKeyPair(), List.of(), List.of(), "SHA256withRSA");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@link #localhost()}, but ending at {@code notAfter} (in the past, say), to see what a server says of it. */
    public static SelfSigned localhostUntil(Instant notAfter) {
        return create("localhost", ecKeyPair(), List.of("localhost"), List.of("127.0.0.1"), "SHA256withECDSA", notAfter);
    }

    private static SelfSigned create(String cn, KeyPair keys, List<String> dns, List<String> ips, String algorithm) {
        // As long as a usual certificate lasts, so that no server warns of an end within a week.
        return create(cn, keys, dns, ips, algorithm, Instant.now().plus(Duration.ofDays(30)));
    }

    private static SelfSigned create(String cn, KeyPair keys, List<String> dns, List<String> ips, String algorithm, Instant notAfter) {
        try {
            X500Name name = new X500Name("CN=" + cn + ",O=Wharf tests");
            Instant notBefore = notAfter.isBefore(Instant.now()) ? notAfter.minus(Duration.ofDays(30)) : Instant.now().minus(Duration.ofHours(1));
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), Date.from(notBefore),
                    Date.from(notAfter), name, keys.getPublic());
            List<GeneralName> names = new ArrayList<>();
            dns.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
            ips.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyCertSign));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())));
            return new SelfSigned(certificate, keys);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create a test certificate", e);
        }
    }

    private static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }
}
