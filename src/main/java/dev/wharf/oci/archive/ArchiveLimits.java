package dev.wharf.oci.archive;

/**
 * How far an accepted archive may inflate: at most {@code maxUncompressedBytes} in all, and at most
 * {@code maxRatio} times its own size once it has inflated past {@link #RATIO_FLOOR} (a small archive
 * of one repetitive file amplifies nothing worth refusing, a zip bomb does).
 */
public record ArchiveLimits(long maxUncompressedBytes, long maxRatio) {
    public static final long DEFAULT_MAX_UNCOMPRESSED_BYTES = 2L << 30;
    public static final long DEFAULT_MAX_RATIO = 100;
    public static final long RATIO_FLOOR = 1L << 20;
    public static final ArchiveLimits DEFAULT = new ArchiveLimits(DEFAULT_MAX_UNCOMPRESSED_BYTES, DEFAULT_MAX_RATIO);

    public ArchiveLimits {
        if (maxUncompressedBytes <= 0 || maxRatio <= 0) {
            throw new IllegalArgumentException("archive limits must be positive (uncompressed size " + maxUncompressedBytes
                    + ", compression ratio " + maxRatio + ")");
        }
    }

    /** How many inflated bytes an archive of {@code archiveBytes} may give. */
    public long allowedFor(long archiveBytes) {
        long byRatio = archiveBytes > Long.MAX_VALUE / maxRatio ? Long.MAX_VALUE : archiveBytes * maxRatio;
        return Math.min(maxUncompressedBytes, Math.max(RATIO_FLOOR, byRatio));
    }
}
