package dev.wharf.cli.boring;

import dev.wharf.http.Readiness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One look at the registry as the server starts, so that wrong credentials or an unreachable
 * registry show in the log at once rather than at the first request. It runs beside the start
 * (retries against a registry that is down take seconds) and only warns: the server serves anyway
 * and every request tries the registry again.
 */
final class StartProbe {
    private static final Logger LOG = LoggerFactory.getLogger(StartProbe.class);

    private StartProbe() {
    }

    /** The first healthy answer (this probe's, or a later /health's) makes the process ready. */
    static void inBackground(StorageHealth health, Readiness readiness) {
        Thread probe = new Thread(() -> {
            StorageHealth.Report report = health.check();
            if (report.healthy()) {
                readiness.ready();
                LOG.info("storage: {} answers with the configured credentials", report.storage());
            } else {
                LOG.warn("storage: {} does not answer as it should; the server runs anyway and tries again on every request: {}",
                        report.storage(), report.reason());
            }
        }, "storage-start-probe");
        probe.setDaemon(true);
        probe.start();
    }
}
