package dev.wharf.epr.oci;

import dev.wharf.oci.archive.ArchiveLimits;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * How an {@link OciIndexer} reads one repository. Start from {@link #of} (the defaults of
 * package-registry's flags where it has them) and change what differs with the {@code with…} methods.
 *
 * @param repository the OCI repository holding one tag {@code {name}-{version}} per package version
 * @param cacheDir where zips, signatures and {@code index.json} are kept
 * @param validate whether packages are checked against the package spec
 * @param requireSignatures whether a package without a signature layer is left out
 * @param maxPackageBytes the largest package zip (and signature) accepted
 * @param refreshInterval how often the repository is read again; zero (or negative): never by itself
 * @param verifyInterval how long known tags are trusted before every tag's manifest is resolved again;
 *     zero (or negative) verifies on every refresh
 * @param clock the time of refreshes and verifications
 * @param archiveLimits how far a package zip may inflate (total and ratio) before it is refused
 * @param fillTimer when the fill behind the index tries again on its own after a failure; keep it in step with {@code clock}
 */
public record OciIndexerSettings(String repository, Path cacheDir, boolean validate, boolean requireSignatures,
        long maxPackageBytes, Duration refreshInterval, Duration verifyInterval, Clock clock, ArchiveLimits archiveLimits,
        FillTimer fillTimer) {
    /** package-registry's default of {@code -max-package-size}. */
    public static final long DEFAULT_MAX_PACKAGE_BYTES = 512L << 20;

    /** Validating, signatures optional, packages up to 512 MB, no scheduled refresh, every refresh verifying. */
    public static OciIndexerSettings of(String repository, Path cacheDir) {
        return new OciIndexerSettings(repository, cacheDir, true, false, DEFAULT_MAX_PACKAGE_BYTES, Duration.ZERO, Duration.ZERO,
                Clock.systemUTC(), ArchiveLimits.DEFAULT, FillTimer.REAL_TIME);
    }

    public OciIndexerSettings withValidation(boolean validate) {
        return new OciIndexerSettings(repository, cacheDir, validate, requireSignatures, maxPackageBytes, refreshInterval,
                verifyInterval, clock, archiveLimits, fillTimer);
    }

    public OciIndexerSettings withRequiredSignatures(boolean require) {
        return new OciIndexerSettings(repository, cacheDir, validate, require, maxPackageBytes, refreshInterval, verifyInterval,
                clock, archiveLimits, fillTimer);
    }

    public OciIndexerSettings withMaxPackageBytes(long bytes) {
        return new OciIndexerSettings(repository, cacheDir, validate, requireSignatures, bytes, refreshInterval, verifyInterval,
                clock, archiveLimits, fillTimer);
    }

    public OciIndexerSettings withRefreshInterval(Duration interval) {
        return new OciIndexerSettings(repository, cacheDir, validate, requireSignatures, maxPackageBytes, interval, verifyInterval,
                clock, archiveLimits, fillTimer);
    }

    public OciIndexerSettings withVerifyInterval(Duration interval) {
        return new OciIndexerSettings(repository, cacheDir, validate, requireSignatures, maxPackageBytes, refreshInterval, interval,
                clock, archiveLimits, fillTimer);
    }

    public OciIndexerSettings withClock(Clock newClock) {
        return new OciIndexerSettings(repository, cacheDir, validate, requireSignatures, maxPackageBytes, refreshInterval,
                verifyInterval, newClock, archiveLimits, fillTimer);
    }

    public OciIndexerSettings withArchiveLimits(ArchiveLimits limits) {
        return new OciIndexerSettings(repository, cacheDir, validate, requireSignatures, maxPackageBytes, refreshInterval,
                verifyInterval, clock, limits, fillTimer);
    }

    /** With {@code timer} running the fill's rounds asked for after a failure; a test's, moved with its clock. */
    public OciIndexerSettings withFillTimer(FillTimer timer) {
        return new OciIndexerSettings(repository, cacheDir, validate, requireSignatures, maxPackageBytes, refreshInterval,
                verifyInterval, clock, archiveLimits, timer);
    }

    /** What was accepted or refused depends on these; an index persisted under others is checked again. */
    String checks() {
        return "validate=" + validate + " require_signatures=" + requireSignatures + " max_package_bytes=" + maxPackageBytes
                + " archive_limits=" + archiveLimits;
    }
}
