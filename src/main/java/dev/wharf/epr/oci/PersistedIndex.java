package dev.wharf.epr.oci;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The index as written to the cache directory after every successful refresh.
 *
 * <p>Format 2 added {@code checks}, {@code verified_at} and {@code rejected}: with them a restart
 * trusts the tags it knows until the verification interval has passed. A format 1 file (no such
 * fields, read as null) is still served through an outage and its packages are reused by manifest
 * digest, but its tags are not trusted: the first refresh verifies every one.
 */
public record PersistedIndex(
        @JsonProperty("format") int format,
        @JsonProperty("source") String source,
        @JsonProperty("checks") @Nullable String checks,
        @JsonProperty("indexed_at") String indexedAt,
        @JsonProperty("verified_at") @Nullable String verifiedAt,
        @JsonProperty("packages") @Nullable List<CachedPackage> packages,
        @JsonProperty("rejected") @Nullable List<RejectedTag> rejected) {
    public static final int FORMAT = 2;
    /** The oldest format this version still reads. */
    public static final int OLDEST_READABLE_FORMAT = 1;

    public Instant indexedAtInstant() {
        return Instant.parse(indexedAt);
    }

    /** When every tag's manifest was last resolved; empty in a format 1 file. */
    public Optional<Instant> verifiedAtInstant() {
        return Optional.ofNullable(verifiedAt).map(Instant::parse);
    }

    public List<CachedPackage> packagesOrEmpty() {
        return packages == null ? List.of() : packages;
    }

    public List<RejectedTag> rejectedOrEmpty() {
        return rejected == null ? List.of() : rejected;
    }
}
