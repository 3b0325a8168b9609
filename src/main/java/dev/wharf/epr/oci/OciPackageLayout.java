package dev.wharf.epr.oci;

import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Manifest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * How a package is laid out in an OCI repository (docs/epr-layout.md): one manifest per version,
 * tagged {@code {name}-{version}}, whose zip is a layer titled {@code {name}-{version}.zip} and whose
 * detached signature, when there is one, is a second layer titled {@code {name}-{version}.zip.sig}.
 * What {@code package-registry push} writes, and what a plain {@code oras push} of the zip gives, are
 * both recognised.
 */
public final class OciPackageLayout {
    public static final String ARTIFACT_TYPE = "application/vnd.wharf.epr.package.v1";
    public static final String ZIP_MEDIA_TYPE = "application/zip";
    public static final String SIGNATURE_MEDIA_TYPE = "application/pgp-signature";
    private static final Set<String> ZIP_TYPES = Set.of(ZIP_MEDIA_TYPE, "application/x-zip-compressed",
            "application/vnd.elastic.package.v1+zip");
    private static final Set<String> SIGNATURE_TYPES = Set.of(SIGNATURE_MEDIA_TYPE, "application/pgp-signature+armor",
            "application/vnd.wharf.epr.signature.v1");

    private OciPackageLayout() {
    }

    /**
     * The layer holding the zip: titled {@code {tag}.zip}, else any layer titled {@code *.zip} or of a
     * zip media type, else — for artifacts pushed with a bare media type and no title — the only
     * layer that is not a signature. The caller still checks the zip's magic bytes.
     */
    public static Optional<Descriptor> zipLayer(Manifest manifest, String tag) {
        List<Descriptor> layers = manifest.layers();
        for (Descriptor d : layers) {
            if (d.title().filter(t -> t.equals(tag + ".zip")).isPresent()) {
                return Optional.of(d);
            }
        }
        for (Descriptor d : layers) {
            if (d.title().filter(t -> t.toLowerCase(Locale.ROOT).endsWith(".zip")).isPresent()
                    || ZIP_TYPES.contains(d.mediaType())) {
                return Optional.of(d);
            }
        }
        List<Descriptor> others = layers.stream().filter(d -> !isSignature(d)).toList();
        return others.size() == 1 ? Optional.of(others.get(0)) : Optional.empty();
    }

    public static Optional<Descriptor> signatureLayer(Manifest manifest) {
        return manifest.layers().stream().filter(OciPackageLayout::isSignature).findFirst();
    }

    private static boolean isSignature(Descriptor d) {
        return SIGNATURE_TYPES.contains(d.mediaType())
                || d.title().filter(t -> t.toLowerCase(Locale.ROOT).endsWith(".zip.sig")).isPresent();
    }
}
