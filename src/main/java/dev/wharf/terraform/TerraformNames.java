package dev.wharf.terraform;

import java.util.regex.Pattern;

/** What the Terraform registry protocols accept as names, checked before anything touches storage. */
public final class TerraformNames {
    private static final Pattern NAMESPACE = Pattern.compile("[0-9A-Za-z](?:[0-9A-Za-z_-]{0,62}[0-9A-Za-z])?");
    private static final Pattern MODULE_PROVIDER = Pattern.compile("[0-9a-z]{1,64}");
    private static final Pattern PROVIDER_TYPE = Pattern.compile("[0-9a-z](?:[0-9a-z-]{0,62}[0-9a-z])?");
    private static final Pattern PLATFORM_PART = Pattern.compile("[0-9a-z]{1,32}");

    private static final java.math.BigInteger LARGEST_VERSION_NUMBER = java.math.BigInteger.valueOf(Long.MAX_VALUE);

    private TerraformNames() {
    }

    /** Empty when fine, else why not. */
    public static java.util.Optional<String> checkNamespace(String value) {
        return check(NAMESPACE, value, "namespace", "letters, digits, '-' and '_', up to 64, starting and ending with a letter or digit");
    }

    public static java.util.Optional<String> checkModuleName(String value) {
        return check(NAMESPACE, value, "module name", "letters, digits, '-' and '_', up to 64, starting and ending with a letter or digit");
    }

    public static java.util.Optional<String> checkModuleProvider(String value) {
        return check(MODULE_PROVIDER, value, "module provider", "lower-case letters and digits, up to 64");
    }

    public static java.util.Optional<String> checkProviderType(String value) {
        return check(PROVIDER_TYPE, value, "provider name", "lower-case letters, digits and '-', up to 64");
    }

    public static java.util.Optional<String> checkPlatformPart(String value, String what) {
        return check(PLATFORM_PART, value, what, "lower-case letters and digits");
    }

    /**
     * A version Terraform itself can read. Terraform parses version numbers into 64-bit integers
     * (hashicorp/go-version for modules, signed; go-versions for providers, unsigned), so a number
     * beyond the signed range would be published yet fail every {@code terraform init} that meets it.
     */
    public static java.util.Optional<String> checkVersion(String value) {
        java.util.Optional<Version> version = Version.tryParse(value);
        if (version.isEmpty()) {
            // boring-registry's hcl parser accepts 'v1.2.3' (go-version), so a migrated module may
            // carry one; here the version is the tag's and the protocol's, so say how to write it.
            String hint = value != null && value.length() > 1 && (value.charAt(0) == 'v' || value.charAt(0) == 'V')
                    && Version.tryParse(value.substring(1)).isPresent() ? "; write it without the leading 'v': " + value.substring(1) : "";
            return java.util.Optional.of("version '" + value + "' is not a semantic version (MAJOR.MINOR.PATCH)" + hint);
        }
        for (java.math.BigInteger number : java.util.List.of(version.get().major(), version.get().minor(), version.get().patch())) {
            if (number.compareTo(LARGEST_VERSION_NUMBER) > 0) {
                return java.util.Optional.of("version '" + value + "' has the number " + number + ", larger than "
                        + LARGEST_VERSION_NUMBER + ": Terraform reads version numbers as 64-bit integers and could not use it");
            }
        }
        return java.util.Optional.empty();
    }

    private static java.util.Optional<String> check(Pattern pattern, String value, String what, String rule) {
        if (value != null && pattern.matcher(value).matches()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(what + " '" + value + "' is malformed: " + rule);
    }
}
