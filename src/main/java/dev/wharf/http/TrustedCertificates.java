package dev.wharf.http;

import dev.wharf.oci.IoFailures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * An {@link SSLContext} for outgoing HTTPS that trusts the JDK's certificate authorities plus those in
 * extra PEM files: an internal CA, or a test's self-signed certificate.
 */
public final class TrustedCertificates {
    private TrustedCertificates() {
    }

    public static SSLContext withExtra(List<Path> pemFiles) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (X509Certificate ca : defaultTrustManager().getAcceptedIssuers()) {
                store.setCertificateEntry("jdk-" + n++, ca);
            }
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Path file : pemFiles) {
                try (InputStream in = Files.newInputStream(file)) {
                    var certificates = factory.generateCertificates(in);
                    if (certificates.isEmpty()) {
                        throw new IllegalArgumentException(file + " holds no PEM certificate");
                    }
                    for (Certificate c : certificates) {
                        store.setCertificateEntry("extra-" + n++, c);
                    }
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read a CA file: " + IoFailures.describe(e), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the CA files " + pemFiles + ": " + e.getMessage(), e);
        }
    }

    private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("the JDK offers no X.509 trust manager");
    }
}
