package dev.wharf.terraform.mirror;

import dev.wharf.oci.References;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Repository and tag names of mirrored providers, as the seed gives them:
 * {@code {base}/mirror/providers/{hostname}/{namespace}/{type}:terraform-provider-{type}_{version}_{os}_{arch}.zip},
 * {@code …_SHA256SUMS}, {@code …_SHA256SUMS.sig}, and {@code {base}/mirror/providers/{hostname}/{namespace}:signing-keys.json}.
 */
public final class MirrorLayout {
    public static final String SIGNING_KEYS_TAG = "signing-keys.json";
    public static final String PROVIDER_ARTIFACT = "application/vnd.wharf.terraform.provider.v1";
    public static final String PROVIDER_ARCHIVE = "application/vnd.wharf.terraform.provider.archive.v1.zip";
    public static final String PROVIDER_SHA256SUMS = "application/vnd.wharf.terraform.provider.sha256sums.v1";
    public static final String PROVIDER_SIGNATURE = "application/vnd.wharf.terraform.provider.sha256sums.signature.v1";
    public static final String SIGNING_KEYS_ARTIFACT = "application/vnd.wharf.terraform.signing-keys.v1";
    public static final String SIGNING_KEYS = "application/vnd.wharf.terraform.signing-keys.v1+json";

    private static final Pattern ARCHIVE = Pattern.compile("terraform-provider-([a-z0-9-]+)_([^_]+)_([a-z0-9]+)_([a-z0-9]+)\\.zip");

    /** What an archive tag says. */
    public record ArchiveName(String version, String os, String arch) {
    }

    private final String base;

    public MirrorLayout(String base) {
        this.base = References.requireRepository(base);
    }

    public String providerRepository(MirrorCoordinates p) {
        return repository(base + "/mirror/providers/" + p.hostname() + "/" + p.namespace() + "/" + p.type());
    }

    public String signingKeysRepository(MirrorCoordinates p) {
        return repository(base + "/mirror/providers/" + p.hostname() + "/" + p.namespace());
    }

    public String archiveTag(MirrorCoordinates p, String version, String os, String arch) {
        return tag("terraform-provider-" + p.type() + "_" + encode(version) + "_" + lower(os) + "_" + lower(arch) + ".zip");
    }

    public String sumsTag(MirrorCoordinates p, String version) {
        return tag("terraform-provider-" + p.type() + "_" + encode(version) + "_SHA256SUMS");
    }

    public String signatureTag(MirrorCoordinates p, String version) {
        return tag("terraform-provider-" + p.type() + "_" + encode(version) + "_SHA256SUMS.sig");
    }

    public Optional<ArchiveName> archiveOf(MirrorCoordinates p, String tag) {
        Matcher m = ARCHIVE.matcher(tag);
        if (!m.matches() || !m.group(1).equals(p.type())) {
            return Optional.empty();
        }
        return Optional.of(new ArchiveName(m.group(2).replace("__", "+"), m.group(3), m.group(4)));
    }

    private static String encode(String version) {
        if (version.contains("_")) {
            throw new MirrorException(MirrorException.Reason.BAD_REQUEST, "version '" + version + "' contains '_'");
        }
        return version.replace("+", "__");
    }

    private static String tag(String tag) {
        if (!References.isValidTag(tag)) {
            throw new MirrorException(MirrorException.Reason.BAD_REQUEST, "'" + tag + "' cannot be an OCI tag");
        }
        return tag;
    }

    private static String repository(String path) {
        try {
            return References.requireRepository(path);
        } catch (IllegalArgumentException e) {
            throw new MirrorException(MirrorException.Reason.BAD_REQUEST, e.getMessage());
        }
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
