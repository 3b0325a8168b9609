package dev.wharf.terraform.provider;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.Generation;
import dev.wharf.oci.Stamped;
import dev.wharf.terraform.layout.TerraformLayout;
import java.util.List;

/**
 * A download answer {@link ProviderDownloads} keeps, with the generations of the four tag lookups it
 * was built from: SHA256SUMS, signature and archive in {@code repository}, signing keys in
 * {@code keysRepository}.
 */
record KnownDownload(String repository, List<String> tags, String keysRepository, List<Generation> seen,
        Stamped<ProviderPackage> answer) {
    /** What a download answer is asked for. */
    record Request(ProviderAddress provider, String version, String os, String arch) {
    }

    /** Whether the four lookups still have the generations the answer was built from, told from memory. */
    boolean current(ArtifactStore store) {
        for (int i = 0; i < tags.size(); i++) {
            if (!store.isCurrentResolution(repository, tags.get(i), seen.get(i))) {
                return false;
            }
        }
        return store.isCurrentResolution(keysRepository, TerraformLayout.SIGNING_KEYS_TAG, seen.get(3));
    }

    /** Whether lookups read again carry the same generations: the same manifests, so the same answer. */
    boolean builtFrom(List<Generation> generations) {
        return generations.stream().allMatch(Generation::isCached) && generations.equals(seen);
    }
}
