package dev.wharf.epr.proxy;

import dev.wharf.epr.pkg.InvalidPackageException;
import dev.wharf.epr.upstream.UpstreamException;
import dev.wharf.epr.upstream.UpstreamPackageCopy;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code -oci-pull-through}: a package version asked for but not in the OCI repository is copied
 * from the upstream into it (verified first when a key is given), and the index read again, so it
 * is served from the repository now and after the upstream is gone. One copy per version at a time.
 */
public final class PullThrough {
    private static final Logger LOG = LoggerFactory.getLogger(PullThrough.class);

    private final UpstreamPackageCopy copy;
    private final Runnable reindex;
    private final ConcurrentHashMap<String, Object> inProgress = new ConcurrentHashMap<>();

    /** {@code reindex}: reads the repository again, synchronously, so the copy is in the index on return. */
    public PullThrough(UpstreamPackageCopy copy, Runnable reindex) {
        this.copy = copy;
        this.reindex = reindex;
    }

    /**
     * Copies {@code name-version}; false when the upstream does not have it. Throws
     * {@link UpstreamException} when it cannot be fetched or is refused.
     */
    public boolean fetch(String name, String version) {
        String tag = name + "-" + version;
        Object lock = inProgress.computeIfAbsent(tag, t -> new Object());
        synchronized (lock) {
            try {
                UpstreamPackageCopy.Copied done = copy.copy(name, version, w -> LOG.warn("pull-through {}: {}", tag, w));
                LOG.info("pull-through: copied {} ({} bytes, {}) into the OCI repository", tag, done.bytes(),
                        done.verifiedBy().map(k -> "verified, key " + k).orElse(done.signed() ? "signed, not verified" : "unsigned"));
            } catch (UpstreamException e) {
                if (e.kind() == UpstreamException.Kind.NOT_FOUND) {
                    return false;
                }
                throw e;
            } catch (InvalidPackageException e) {
                if (!e.getMessage().contains("already published")) {
                    throw new UpstreamException(UpstreamException.Kind.REFUSED, e.getMessage(), e);
                }
                // Another request (or process) copied it first: the index just has to catch up.
            } finally {
                inProgress.remove(tag, lock);
            }
            reindex.run();
            return true;
        }
    }
}
