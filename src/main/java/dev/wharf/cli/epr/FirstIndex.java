package dev.wharf.cli.epr;

import dev.wharf.epr.index.Indexer;
import dev.wharf.epr.index.IndexerException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;

/**
 * The first index, before the process is ready (or, with {@code -dry-run}, instead of serving).
 * Package folders that hold nothing are refused unless the watcher may fill them later or the proxy
 * mode can serve remote packages; an OCI repository is served even when it is empty.
 */
final class FirstIndex {
    private final List<Path> packagePaths;
    private final boolean oci;
    private final boolean watched;
    private final PrintWriter err;
    private final Logger log;

    FirstIndex(List<Path> packagePaths, boolean oci, boolean watched, PrintWriter err, Logger log) {
        this.packagePaths = packagePaths;
        this.oci = oci;
        this.watched = watched;
        this.err = err;
        this.log = log;
    }

    /** False (with the reason printed) when there is nothing to serve. */
    boolean run(Indexer indexer, boolean proxy) {
        try {
            indexer.start();
        } catch (IndexerException e) {
            err.println("package-registry: " + e.getMessage());
            return false;
        }
        if (indexer.packages().isEmpty() && proxy) {
            log.info("No local packages found, but the proxy mode can access remote ones.");
        } else if (indexer.packages().isEmpty() && !oci) {
            if (!watched) {
                err.println("package-registry: No local packages found in " + packagePaths);
                return false;
            }
            log.warn("No packages found at startup in {}: serving nothing until the watcher sees some", packagePaths);
        }
        log.info("{} package manifests loaded", indexer.packages().size());
        return true;
    }
}
