package dev.wharf.http;

import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Function;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts what CA files hold now, not what they held at start: a private CA rotated (the new one added
 * to the bundle before the registry's certificate changes) is trusted on the next connection, without
 * a restart. {@link #refresh} looks at the files' stamps, a few {@code stat}s against a handshake's
 * milliseconds, and reads a changed file again; {@link RefreshingSslContext} calls it for each new
 * connection, before its handshake. Files that do not load (a bundle caught mid-write, a certificate
 * garbled) are said once, and what was trusted so far stays until they change again, as
 * {@link CertificateReload} keeps the served certificate.
 *
 * <p>After a reload, {@code afterReload} runs: the owner drops its cached TLS sessions, since a
 * resumed session skips the certificate check and would keep trusting a CA just removed.
 */
final class ReloadingTrustManager extends X509ExtendedTrustManager {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingTrustManager.class);

    private final List<Path> files;
    private final Function<List<Path>, X509ExtendedTrustManager> load;
    private final Runnable afterReload;
    private volatile Loaded current;

    private record Loaded(X509ExtendedTrustManager manager, List<FileStamp> stamps, @Nullable List<FileStamp> refused) {
    }

    /** Loads the files now: {@code load}'s IllegalArgumentException, for files that do not load, is the caller's. */
    ReloadingTrustManager(List<Path> files, Function<List<Path>, X509ExtendedTrustManager> load, Runnable afterReload) {
        this.files = List.copyOf(files);
        this.load = load;
        this.afterReload = afterReload;
        List<FileStamp> stamps = FileStamp.of(this.files);
        this.current = new Loaded(load.apply(this.files), stamps, null);
    }

    /** Reads the files again if they changed since they were last read. */
    void refresh() {
        Loaded loaded = current;
        List<FileStamp> now = FileStamp.of(files);
        if (now.equals(loaded.stamps()) || now.equals(loaded.refused())) {
            return;
        }
        synchronized (this) {
            loaded = current;
            if (now.equals(loaded.stamps()) || now.equals(loaded.refused())) {
                return;
            }
            try {
                X509ExtendedTrustManager fresh = load.apply(files);
                current = new Loaded(fresh, now, null);
                LOG.info("CA certificates reloaded from {}: {} certificates trusted, the JDK's included", files,
                        fresh.getAcceptedIssuers().length);
                afterReload.run();
            } catch (IllegalArgumentException e) {
                current = new Loaded(loaded.manager(), loaded.stamps(), now);
                LOG.warn("{}; the CA certificates trusted so far stay until the file changes again", e.getMessage());
            }
        }
    }

    private X509ExtendedTrustManager manager() {
        return current.manager();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket) throws CertificateException {
        manager().checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine) throws CertificateException {
        manager().checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        manager().checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable Socket socket) throws CertificateException {
        manager().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, @Nullable SSLEngine engine) throws CertificateException {
        manager().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        manager().checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return manager().getAcceptedIssuers();
    }
}
