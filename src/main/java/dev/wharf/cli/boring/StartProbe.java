package dev.wharf.cli.boring;

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

    static void inBackground(StorageHealth health) {
        Thread probe = new Thread(() -> {
            StorageHealth.Report report = health.check();
            if (report.healthy()) {
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
