package dev.wharf.terraform.layout;

import java.util.Optional;

/**
 * One file of a provider release as its name tells: the archive for a platform, the SHA256SUMS,
 * its signature, or the registry manifest ({@code _manifest.json}).
 */
public record ProviderFile(Kind kind, String name, String version, Optional<Platform> platform) {
    public enum Kind { ARCHIVE, SHA256SUMS, SIGNATURE, MANIFEST }

    public record Platform(String os, String arch) {
    }

    private static final String PREFIX = "terraform-provider-";

    /** The file name as a release carries it: {@code terraform-provider-NAME_VERSION_OS_ARCH.zip} and so on. */
    public String fileName() {
        String base = PREFIX + name + "_" + version;
        return switch (kind) {
            case ARCHIVE -> base + "_" + platform.orElseThrow().os() + "_" + platform.orElseThrow().arch() + ".zip";
            case SHA256SUMS -> base + "_SHA256SUMS";
            case SIGNATURE -> base + "_SHA256SUMS.sig";
            case MANIFEST -> base + "_manifest.json";
        };
    }

    public static ProviderFile archive(String name, String version, String os, String arch) {
        return new ProviderFile(Kind.ARCHIVE, name, version, Optional.of(new Platform(os, arch)));
    }

    public static ProviderFile sha256Sums(String name, String version) {
        return new ProviderFile(Kind.SHA256SUMS, name, version, Optional.empty());
    }

    public static ProviderFile signature(String name, String version) {
        return new ProviderFile(Kind.SIGNATURE, name, version, Optional.empty());
    }

    /**
     * Reads a release file name (or its decoded tag). Empty when the name is not one of the four
     * forms; a provider name never contains {@code _}, so the first {@code _} ends it.
     */
    public static Optional<ProviderFile> parse(String fileName) {
        if (!fileName.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = fileName.substring(PREFIX.length());
        int first = rest.indexOf('_');
        if (first <= 0) {
            return Optional.empty();
        }
        String name = rest.substring(0, first);
        String tail = rest.substring(first + 1);
        if (tail.endsWith("_SHA256SUMS")) {
            return versionOnly(Kind.SHA256SUMS, name, tail.substring(0, tail.length() - "_SHA256SUMS".length()));
        }
        if (tail.endsWith("_SHA256SUMS.sig")) {
            return versionOnly(Kind.SIGNATURE, name, tail.substring(0, tail.length() - "_SHA256SUMS.sig".length()));
        }
        if (tail.endsWith("_manifest.json")) {
            return versionOnly(Kind.MANIFEST, name, tail.substring(0, tail.length() - "_manifest.json".length()));
        }
        if (tail.endsWith(".zip")) {
            String[] parts = tail.substring(0, tail.length() - 4).split("_");
            if (parts.length == 3 && !parts[0].isEmpty() && !parts[1].isEmpty() && !parts[2].isEmpty()) {
                return Optional.of(archive(name, parts[0], parts[1], parts[2]));
            }
        }
        return Optional.empty();
    }

    private static Optional<ProviderFile> versionOnly(Kind kind, String name, String version) {
        if (version.isEmpty() || version.contains("_")) {
            return Optional.empty();
        }
        return Optional.of(new ProviderFile(kind, name, version, Optional.empty()));
    }
}
