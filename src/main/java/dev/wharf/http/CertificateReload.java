package dev.wharf.http;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
 * server that stopped at the renewal would be down until someone came. A served certificate within
 * a week of its end, or past it, is said once each (a renewal that keeps failing is the usual way
 * a certificate lapses).
 */
final class CertificateReload extends AbstractLifeCycle {
    static final Duration INTERVAL = Duration.ofSeconds(10);
    static final Duration SOON = Duration.ofDays(7);
    private static final Logger LOG = LoggerFactory.getLogger(CertificateReload.class);

    private final SslContextFactory.Server ssl;
    private final TlsFiles files;
    private final Scheduler scheduler;
    private final Duration interval;
    private final Clock clock;
    // Touched by the start, then by one scheduled task at a time.
    private List<FileStamp> served;
    private volatile @Nullable Instant notAfter;
    private Expiry said = Expiry.AHEAD;
    private @Nullable List<FileStamp> seen;
    private @Nullable List<FileStamp> refused;
    private volatile Scheduler.@Nullable Task next;

    private enum Expiry { AHEAD, SOON, PAST }

    CertificateReload(SslContextFactory.Server ssl, TlsFiles files, Scheduler scheduler, Duration interval, Clock clock) {
        this.ssl = ssl;
        this.files = files;
        this.scheduler = scheduler;
        this.interval = interval;
        this.clock = clock;
        this.served = stamps();
        this.notAfter = certificate(ssl.getKeyStore()).map(c -> c.getNotAfter().toInstant()).orElse(null);
    }

    /** The served certificate's end, read by the metrics' scrapes. */
    Optional<Instant> notAfter() {
        return Optional.ofNullable(notAfter);
    }

    @Override
    protected void doStart() {
        sayIfLapsing();
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
            List<FileStamp> now = stamps();
            if (now.equals(served) || now.equals(refused)) {
                seen = null;
            } else if (now.equals(seen)) {
                load(now);
            } else {
                seen = now;  // changed: loaded at the next look if it stays so
            }
            sayIfLapsing();
        } catch (RuntimeException e) {
            LOG.warn("TLS certificate reload: {}", e.toString());
        } finally {
            schedule();
        }
    }

    private void load(List<FileStamp> now) {
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
        Optional<X509Certificate> certificate = certificate(store);
        notAfter = certificate.map(c -> c.getNotAfter().toInstant()).orElse(null);
        said = Expiry.AHEAD;
        LOG.info("TLS certificate reloaded from {}: {}", files.certFile(), certificate
                .map(c -> c.getSubjectX500Principal().getName() + ", valid until " + c.getNotAfter().toInstant()).orElse("a certificate"));
    }

    private void sayIfLapsing() {
        Instant end = notAfter;
        if (end == null) {
            return;
        }
        Instant now = clock.instant();
        Expiry state = now.isAfter(end) ? Expiry.PAST : now.plus(SOON).isAfter(end) ? Expiry.SOON : Expiry.AHEAD;
        if (state == Expiry.PAST && said != Expiry.PAST) {
            LOG.warn("the TLS certificate in {} expired at {}: clients refuse it; a renewed one is served without a restart",
                    files.certFile(), end);
        } else if (state == Expiry.SOON && said == Expiry.AHEAD) {
            LOG.warn("the TLS certificate in {} expires at {}, in {} h: renew it (it is served without a restart)",
                    files.certFile(), end, Duration.between(now, end).toHours());
        }
        said = state;
    }

    private static Optional<X509Certificate> certificate(@Nullable KeyStore store) {
        try {
            if (store != null && store.getCertificate(PemKeyStore.ALIAS) instanceof X509Certificate certificate) {
                return Optional.of(certificate);
            }
        } catch (KeyStoreException e) {
            // Not described, then.
        }
        return Optional.empty();
    }

    private List<FileStamp> stamps() {
        return FileStamp.of(List.of(files.certFile(), files.keyFile()));
    }
}
