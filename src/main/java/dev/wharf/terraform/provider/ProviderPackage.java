package dev.wharf.terraform.provider;

import dev.wharf.terraform.layout.ProviderFile;
import java.util.List;

/** What the provider download answer needs: the archive, its checksum, the release files and the keys. */
public record ProviderPackage(
        List<String> protocols,
        ProviderFile archive,
        ProviderFile sha256Sums,
        ProviderFile signature,
        String shasum,
        SigningKeys signingKeys) {
}
