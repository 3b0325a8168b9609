package dev.wharf.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a renewed certificate without a restart. The certificate and key files are looked at every
 * {@code interval}; once either has changed (certbot's renewal, a Kubernetes secret's symlink swap)
 * and then stayed the same for one more look, the pair is loaded again and new handshakes get it;
 * open connections keep theirs. Waiting for the files to settle skips the moment between a renewal's
 * write of the certificate and of its key. A pair that does not load is logged once and the served
 * certificate stays, as a broken edit of the tokens file leaves the last good list in force: a
 * server that stopped at the renewal would be down until someone came.
 */
final class CertificateReload extends AbstractLifeCycle {
    static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(CertificateReload.class);

    private final SslContextFactory.Server ssl;
    private final TlsFiles files;
    private final Scheduler scheduler;
    private final Duration interval;
    // Touched by one scheduled task at a time.
    private List<Stamp> served;
    private @Nullable List<Stamp> seen;
    private @Nullable List<Stamp> refused;
    private volatile Scheduler.@Nullable Task next;

    /** What identifies one version of a file: where its link leads, its inode, size and time. */
    private record Stamp(Path real, @Nullable Object fileKey, long size, long modified) {
    }

    CertificateReload(SslContextFactory.Server ssl, TlsFiles files, Scheduler scheduler, Duration interval) {
        this.ssl = ssl;
        this.files = files;
        this.scheduler = scheduler;
        this.interval = interval;
        this.served = stamps();
    }

    @Override
    protected void doStart() {
        schedule();
    }

    @Override
    protected void doStop() {
        Scheduler.Task task = next;
        if (task != null) {
            task.cancel();
        }
    }

    private void schedule() {
        if (isRunning() || isStarting()) {
            next = scheduler.schedule(this::look, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void look() {
        try {
            List<Stamp> now = stamps();
            if (now.equals(served) || now.equals(refused)) {
                seen = null;
            } else if (now.equals(seen)) {
                load(now);
            } else {
                seen = now;  // changed: loaded at the next look if it stays so
            }
        } catch (RuntimeException e) {
            LOG.warn("TLS certificate reload: {}", e.toString());
        } finally {
            schedule();
        }
    }

    private void load(List<Stamp> now) {
        seen = null;
        KeyStore store;
        try {
            store = PemKeyStore.load(files.certFile(), files.keyFile());
        } catch (IllegalArgumentException e) {
            refused = now;
            LOG.warn("{}; the certificate served so far stays until the files change again", e.getMessage());
            return;
        }
        try {
            ssl.reload(factory -> factory.setKeyStore(store));
        } catch (Exception e) {
            refused = now;
            LOG.warn("cannot serve the TLS certificate {}: {}; the certificate served so far stays", files.certFile(), e.toString());
            return;
        }
        served = now;
        refused = null;
        LOG.info("TLS certificate reloaded from {}: {}", files.certFile(), describe(store));
    }

    private static String describe(KeyStore store) {
        try {
            if (store.getCertificate(PemKeyStore.ALIAS) instanceof X509Certificate certificate) {
                return certificate.getSubjectX500Principal().getName() + ", valid until " + certificate.getNotAfter().toInstant();
            }
        } catch (KeyStoreException e) {
            // Described by its file alone, then.
        }
        return "a certificate";
    }

    private List<Stamp> stamps() {
        return List.of(stamp(files.certFile()), stamp(files.keyFile()));
    }

    private static Stamp stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(file.toRealPath(), attributes.fileKey(), attributes.size(), attributes.lastModifiedTime().toMillis());
        } catch (IOException e) {
            // Gone for a moment (a secret being swapped): a version of its own, never loaded while it lasts.
            return new Stamp(file, Objects.toString(e.getClass().getSimpleName()), -1, -1);
        }
    }
}
