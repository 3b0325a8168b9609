package dev.wharf.terraform.layout;

/**
 * The artifact and layer media types Wharf writes (documented in docs/terraform-layout.md). Each
 * stored file is one OCI artifact: an image manifest with one of these {@code artifactType}s, the
 * empty config, and one layer holding the file, titled with its file name. Readers rely on the tag
 * and the layer, not on these types, so artifacts pushed by other tools are served too.
 */
public final class MediaTypes {
    public static final String MODULE_ARTIFACT = "application/vnd.wharf.terraform.module.v1";
    public static final String MODULE_TAR_GZ = "application/vnd.wharf.terraform.module.layer.v1.tar+gzip";
    public static final String MODULE_ZIP = "application/vnd.wharf.terraform.module.layer.v1.zip";

    public static final String PROVIDER_ARTIFACT = "application/vnd.wharf.terraform.provider.v1";
    public static final String PROVIDER_ARCHIVE = "application/vnd.wharf.terraform.provider.archive.v1.zip";
    public static final String PROVIDER_SHA256SUMS = "application/vnd.wharf.terraform.provider.sha256sums.v1";
    public static final String PROVIDER_SIGNATURE = "application/vnd.wharf.terraform.provider.sha256sums.signature.v1";
    public static final String PROVIDER_MANIFEST = "application/vnd.wharf.terraform.provider.manifest.v1+json";

    public static final String SIGNING_KEYS_ARTIFACT = "application/vnd.wharf.terraform.signing-keys.v1";
    public static final String SIGNING_KEYS = "application/vnd.wharf.terraform.signing-keys.v1+json";

    /** Annotation on a SHA256SUMS artifact: the plugin protocol versions, comma-separated ("5.0,6.0"). */
    public static final String PROTOCOLS_ANNOTATION = "dev.wharf.terraform.protocols";

    private MediaTypes() {
    }

    public static String providerLayerType(ProviderFile.Kind kind) {
        return switch (kind) {
            case ARCHIVE -> PROVIDER_ARCHIVE;
            case SHA256SUMS -> PROVIDER_SHA256SUMS;
            case SIGNATURE -> PROVIDER_SIGNATURE;
            case MANIFEST -> PROVIDER_MANIFEST;
        };
    }
}
