package dev.wharf.epr.oci;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wharf.epr.model.PackageDocument;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the OCI indexer keeps of one tag: the manifest digest it parsed, the blobs it needs to serve
 * the package, and the parsed document. Everything but the tag follows from the manifest digest, so
 * the entry never goes stale; only the tag may come to point elsewhere, which a full verification
 * catches. {@code fromConfig}: the document is the one the manifest's config holds
 * ({@link PackageIndexConfig}); the zip is checked against it when it is downloaded, and until then
 * need not be on disk. An index persisted before configs existed reads as false, as it was.
 */
public record CachedPackage(
        @JsonProperty("tag") String tag,
        @JsonProperty("manifest_digest") String manifestDigest,
        @JsonProperty("zip_digest") String zipDigest,
        @JsonProperty("zip_size") long zipSize,
        @JsonProperty("signature_digest") @Nullable String signatureDigest,
        @JsonProperty("signature_size") long signatureSize,
        @JsonProperty("document") PackageDocument document,
        @JsonProperty("from_config") boolean fromConfig) {

    /** Whether {@code a} and {@code b} list the same tags, each at the same manifest, in the same order. */
    static boolean sameEntries(List<CachedPackage> a, List<CachedPackage> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).tag().equals(b.get(i).tag()) || !a.get(i).manifestDigest().equals(b.get(i).manifestDigest())) {
                return false;
            }
        }
        return true;
    }
}
