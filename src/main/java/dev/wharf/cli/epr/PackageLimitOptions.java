package dev.wharf.cli.epr;

import dev.wharf.oci.archive.ArchiveLimits;
import picocli.CommandLine.Option;

/** How far a package may inflate, for {@code push} and for indexing {@code package_paths}. */
public final class PackageLimitOptions {
    @Option(names = {"-max-package-uncompressed-size", "--max-package-uncompressed-size"}, defaultValue = "2147483648",
            description = "Largest total a package may unpack to, in bytes, counted while inflating (default: ${DEFAULT-VALUE}).")
    long maxUncompressedBytes = ArchiveLimits.DEFAULT_MAX_UNCOMPRESSED_BYTES;
    @Option(names = {"-max-package-compression-ratio", "--max-package-compression-ratio"}, defaultValue = "100",
            description = "Largest ratio of a package zip's inflated bytes to its own size, judged past 1 MiB inflated (default: ${DEFAULT-VALUE}).")
    long maxRatio = ArchiveLimits.DEFAULT_MAX_RATIO;

    ArchiveLimits limits() {
        return new ArchiveLimits(maxUncompressedBytes, maxRatio);
    }
}
