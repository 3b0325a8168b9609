package dev.wharf.terraform.layout;

import dev.wharf.oci.References;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where Terraform things live in OCI storage, exactly as the seed lays them out, below one base
 * path:
 * <ul>
 *   <li>modules: {@code {base}/modules/{namespace}/{name}/{provider}:{namespace}-{name}-{provider}-{version}}</li>
 *   <li>provider files: {@code {providers}/{namespace}/{name}:terraform-provider-{name}_{version}_{os}_{arch}.zip},
 *       {@code …_SHA256SUMS}, {@code …_SHA256SUMS.sig}</li>
 *   <li>signing keys: {@code {providers}/{namespace}:signing-keys.json}</li>
 * </ul>
 * where {@code {providers}} is {@code {base}/providers}, or {@code {base}/mirror/providers/{hostname}}
 * for the layout {@link #mirrorOf(String)} returns (same tag names). Names are lower-cased, since OCI
 * repository names are; versions go through {@link TagEncoding}.
 */
public final class TerraformLayout {
    public static final String SIGNING_KEYS_TAG = "signing-keys.json";

    private final String base;
    private final String providersPath;
    private final boolean longTags;

    private TerraformLayout(String base, String providersPath, boolean longTags) {
        this.base = base;
        this.providersPath = providersPath;
        this.longTags = longTags;
    }

    /** The layout below {@code repository}, the value of {@code --storage-oci-repository}. */
    public static TerraformLayout under(String repository) {
        String base = trimSlashes(repository);
        References.requireRepository(base);
        return new TerraformLayout(base, base + "/providers", false);
    }

    /** The same layout for providers mirrored from {@code hostname}: {@code {base}/mirror/providers/{hostname}}. */
    public TerraformLayout mirrorOf(String hostname) {
        String host = component(hostname, "hostname");
        return new TerraformLayout(base, base + "/mirror/providers/" + host, longTags);
    }

    /**
     * The same layout without the 128-character limit on tags, for the flat layout: {@link FlatTags}
     * turns every (repository, tag) pair into a tag that fits, hashing the long ones.
     */
    public TerraformLayout allowingLongTags() {
        return new TerraformLayout(base, providersPath, true);
    }

    public String base() {
        return base;
    }

    /** What every mirrored provider's repository name starts with: {@code {base}/mirror/providers/}, then the origin hostname. */
    public String mirrorsPrefix() {
        return base + "/mirror/providers/";
    }

    /** What every module repository's name starts with: {@code {base}/modules/}. */
    public String modulesPrefix() {
        return base + "/modules/";
    }

    /** What every provider repository's name starts with: {@code {providers path}/}. */
    public String providersPrefix() {
        return providersPath + "/";
    }

    public String moduleRepository(String namespace, String name, String provider) {
        return repository(base + "/modules/" + component(namespace, "namespace") + "/" + component(name, "name")
                + "/" + component(provider, "provider"));
    }

    public String moduleTag(String namespace, String name, String provider, String version) {
        String tag = moduleTagPrefix(namespace, name, provider) + TagEncoding.encodeVersion(version);
        return checked(tag, "module " + namespace + "/" + name + "/" + provider + " " + version);
    }

    /** The version a module tag stands for, or empty for a tag of another module or of another form. */
    public Optional<String> moduleVersion(String namespace, String name, String provider, String tag) {
        String prefix = moduleTagPrefix(namespace, name, provider);
        if (!tag.startsWith(prefix) || tag.length() == prefix.length()) {
            return Optional.empty();
        }
        return Optional.of(TagEncoding.decodeVersion(tag.substring(prefix.length())));
    }

    public String providerRepository(String namespace, String name) {
        return repository(providersPath + "/" + component(namespace, "namespace") + "/" + component(name, "name"));
    }

    public String signingKeysRepository(String namespace) {
        return repository(providersPath + "/" + component(namespace, "namespace"));
    }

    /** The tag a provider release file is stored under: its file name, lower-cased, version encoded. */
    public String providerTag(ProviderFile file) {
        ProviderFile lower = new ProviderFile(file.kind(), lower(file.name()), TagEncoding.encodeVersion(file.version()),
                file.platform().map(p -> new ProviderFile.Platform(lower(p.os()), lower(p.arch()))));
        return checked(lower.fileName(), file.fileName());
    }

    /** The release file a provider tag stands for, or empty for tags of any other form. */
    public Optional<ProviderFile> providerFile(String tag) {
        return ProviderFile.parse(TagEncoding.decodeVersion(tag));
    }

    private String checked(String tag, String what) {
        return longTags ? TagEncoding.requireCharacters(tag, what) : TagEncoding.requireTag(tag, what);
    }

    private static String moduleTagPrefix(String namespace, String name, String provider) {
        return component(namespace, "namespace") + "-" + component(name, "name") + "-" + component(provider, "provider") + "-";
    }

    private static String repository(String path) {
        try {
            return References.requireRepository(path);
        } catch (IllegalArgumentException e) {
            throw new LayoutException(Objects.requireNonNullElse(e.getMessage(), e.toString()));
        }
    }

    private static String component(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new LayoutException("empty " + what);
        }
        if (value.contains("/")) {
            throw new LayoutException(what + " '" + value + "' must not contain '/'");
        }
        return lower(value);
    }

    private static String lower(String value) {
        return value.toLowerCase(Locale.ROOT);
    }

    private static String trimSlashes(String path) {
        String p = path == null ? "" : path.trim();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
