package dev.wharf.epr.oci;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/** The index as written to the cache directory after every successful refresh. */
public record PersistedIndex(
        @JsonProperty("format") int format,
        @JsonProperty("source") String source,
        @JsonProperty("indexed_at") String indexedAt,
        @JsonProperty("packages") List<CachedPackage> packages) {
    public static final int FORMAT = 1;

    public Instant indexedAtInstant() {
        return Instant.parse(indexedAt);
    }
}
