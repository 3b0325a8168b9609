package dev.wharf.cli.boring;

import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.oci.archive.ZipInspector;
import picocli.CommandLine.Option;

/** How far a provider zip Wharf accepts (upload provider, upload mirror, pull-through) may inflate. */
public final class ArchiveLimitOptions {
    @Option(names = "--max-archive-uncompressed-size", paramLabel = "BYTES", defaultValue = "2147483648",
            description = "Largest total a provider zip may inflate to, in bytes, counted while inflating"
                    + " (BORING_REGISTRY_MAX_ARCHIVE_UNCOMPRESSED_SIZE; default ${DEFAULT-VALUE})")
    long maxUncompressedBytes = ArchiveLimits.DEFAULT_MAX_UNCOMPRESSED_BYTES;

    @Option(names = "--max-archive-compression-ratio", paramLabel = "RATIO", defaultValue = "100",
            description = "Largest ratio of inflated bytes to a provider zip's own size, judged past 1 MiB inflated"
                    + " (BORING_REGISTRY_MAX_ARCHIVE_COMPRESSION_RATIO; default ${DEFAULT-VALUE})")
    long maxRatio = ArchiveLimits.DEFAULT_MAX_RATIO;

    public ZipInspector inspector() {
        return new ZipInspector(new ArchiveLimits(maxUncompressedBytes, maxRatio));
    }
}
