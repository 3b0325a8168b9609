package dev.wharf.terraform.layout;

import dev.wharf.oci.References;

/**
 * The reversible mapping between Terraform versions and the version part of an OCI tag. OCI tags
 * hold {@code [A-Za-z0-9_.-]} only, so semver build metadata ({@code 1.2.0+build.7}) cannot be
 * written as-is: its {@code +} becomes {@code __}. A semver version never contains {@code _}, so
 * every {@code __} in a tag's version part is an encoded {@code +} and decoding is exact.
 */
public final class TagEncoding {
    static final String PLUS = "__";
    static final int MAX_TAG_LENGTH = 128;

    private TagEncoding() {
    }

    public static String encodeVersion(String version) {
        if (version.contains("_")) {
            throw new LayoutException("version '" + version + "' contains '_', which no semantic version may hold");
        }
        return version.replace("+", PLUS);
    }

    public static String decodeVersion(String encoded) {
        return encoded.replace(PLUS, "+");
    }

    /** Checks a finished tag, naming the thing it stands for when it cannot be an OCI tag. */
    static String requireTag(String tag, String what) {
        if (tag.length() > MAX_TAG_LENGTH) {
            throw new LayoutException("the OCI tag for " + what + " would be " + tag.length()
                    + " characters long ('" + tag + "'); OCI allows at most " + MAX_TAG_LENGTH
                    + ": use shorter names or a shorter version");
        }
        return requireCharacters(tag, what);
    }

    /** Checks the characters of a tag the flat layout maps, which may be longer than an OCI tag. */
    static String requireCharacters(String tag, String what) {
        if (!References.isValidTag(tag.substring(0, Math.min(tag.length(), MAX_TAG_LENGTH)))
                || !tag.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-'))) {
            throw new LayoutException("the OCI tag for " + what + " would be '" + tag
                    + "', which OCI does not allow (letters, digits, '_', '.', '-' only)");
        }
        return tag;
    }
}
