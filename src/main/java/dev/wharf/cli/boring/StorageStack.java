package dev.wharf.cli.boring;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.FailureWatchingStore;
import dev.wharf.oci.StoreProbe;
import dev.wharf.oci.cache.DiskBlobCache;
import dev.wharf.terraform.cache.CachingArtifactStore;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The layers the server reads storage through, innermost first: the store the flags opened, a
 * watcher of failed calls, the optional download cache, the tag and manifest caches, and the view
 * of the repository layout that the protocols are served from. Closing {@code cached} closes them all.
 */
record StorageStack(ArtifactStore opened, FailureWatchingStore watched, CachingArtifactStore cached, ArtifactStore served) {

    static StorageStack over(ArtifactStore opened, GlobalOptions global, @Nullable String downloadCacheDir, long downloadCacheMegabytes,
                             Duration tagTtl, Duration manifestTtl, Logger log) {
        // Every served call is watched, so /health can report faults its probe cannot see (a corrupt blob).
        FailureWatchingStore watched = new FailureWatchingStore(opened, Clock.systemUTC());
        ArtifactStore blobs = watched;
        boolean cacheAsked = downloadCacheDir != null && !downloadCacheDir.isBlank();
        if (cacheAsked && Storage.embedded(global)) {
            // An embedded layout is a local folder already: its files are sent as they are. Said, so a flag that does
            // nothing here is not taken for one that works.
            log.info("download cache: --download-cache-dir is not used with the embedded OCI image layout, whose files are on this disk already");
        } else if (cacheAsked) {
            try {
                blobs = new DiskBlobCache(watched, Path.of(downloadCacheDir), downloadCacheMegabytes << 20);
            } catch (UncheckedIOException e) {
                // One line naming the flag, as for any other flag that cannot be used, not an "unexpected failure".
                throw new IllegalArgumentException("--download-cache-dir: " + e.getMessage(), e);
            }
            log.info("download cache: {} (up to {} MB)", Path.of(downloadCacheDir).toAbsolutePath().normalize(), downloadCacheMegabytes);
        }
        CachingArtifactStore cached = new CachingArtifactStore(blobs, tagTtl, manifestTtl);
        return new StorageStack(opened, watched, cached, global.repositoryLayout().over(cached, global.terraformLayout().base()));
    }

    /** Probes the opened store itself, past every cache, within {@code timeout}. */
    StorageHealth health(String repository, Duration timeout) {
        return new StorageHealth(opened, new StoreProbe(opened, repository, timeout), watched);
    }
}
