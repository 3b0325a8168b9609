package dev.wharf.epr.index;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the last refresh left out of the index, and why, and when the source was last read in full
 * (every OCI tag resolved again; every package path read again): what a person checking the
 * index's health wants beyond {@link IndexHealth}. Replaced as a whole by each refresh.
 *
 * @param leftOut what was not indexed: a tag, a zip or a folder, with the reason the indexer logged
 */
public record IndexReport(Optional<Instant> verifiedAt, List<LeftOut> leftOut) {
    public static final IndexReport NONE = new IndexReport(Optional.empty(), List.of());

    /** One thing left out: {@code what} names it as its source does (a tag, a path under a package path). */
    public record LeftOut(String what, String reason) {
    }

    public IndexReport {
        leftOut = List.copyOf(leftOut);
    }
}
