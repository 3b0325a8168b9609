package dev.wharf.http;

import dev.wharf.oci.IoFailures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * An {@link SSLContext} for outgoing HTTPS that trusts the JDK's certificate authorities plus those in
 * extra PEM files (an internal CA, or a test's self-signed certificate), as the files hold them at
 * each new connection ({@link ReloadingTrustManager}, {@link RefreshingSslContext}).
 */
public final class TrustedCertificates {
    private TrustedCertificates() {
    }

    /** Reads the files now: one that cannot be read or holds no certificate is an IllegalArgumentException. */
    public static SSLContext withExtra(List<Path> pemFiles) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            ReloadingTrustManager trust = new ReloadingTrustManager(pemFiles, TrustedCertificates::load,
                    () -> forgetSessions(context.getClientSessionContext()));
            return RefreshingSslContext.of(context, trust);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the CA files " + pemFiles + ": " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager load(List<Path> pemFiles) {
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
                } catch (CertificateException e) {
                    throw new IllegalArgumentException("cannot read the CA certificates in " + file + ": " + e.getMessage(), e);
                }
            }
            return trustManager(store);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read a CA file: " + IoFailures.describe(e), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the CA files " + pemFiles + ": " + e.getMessage(), e);
        }
    }

    private static void forgetSessions(SSLSessionContext sessions) {
        for (byte[] id : Collections.list(sessions.getIds())) {
            SSLSession session = sessions.getSession(id);
            if (session != null) {
                session.invalidate();
            }
        }
    }

    private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
        return trustManager(null);
    }

    private static X509ExtendedTrustManager trustManager(@Nullable KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("the JDK offers no X.509 trust manager");
    }
}
