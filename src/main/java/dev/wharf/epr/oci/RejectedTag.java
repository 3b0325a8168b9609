package dev.wharf.epr.oci;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A tag the indexer left out, and why. Remembered so that a bad artifact costs no registry request
 * (and no repeated warning) on every refresh, only at the next full verification; the manifest
 * digest lets that verification skip the download when the tag still points at the same artifact.
 * It is null for a tag whose name is not {@code {name}-{version}}: that one was never resolved.
 */
public record RejectedTag(
        @JsonProperty("tag") String tag,
        @JsonProperty("manifest_digest") @Nullable String manifestDigest,
        @JsonProperty("reason") String reason) {
}
