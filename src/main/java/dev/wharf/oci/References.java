package dev.wharf.oci;

import java.util.regex.Pattern;

/** The OCI distribution rules for repository names and tags, with messages that say what is wrong. */
public final class References {
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    private References() {
    }

    public static String requireRepository(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("empty repository name");
        }
        if (name.length() > 255) {
            throw new IllegalArgumentException("repository name '" + name + "' is longer than 255 characters");
        }
        for (String component : name.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw new IllegalArgumentException("repository name '" + name + "' is not valid for OCI: component '"
                        + component + "' must be lower-case letters and digits, separated by '.', '_', '__' or '-'");
            }
        }
        return name;
    }

    public static String requireTag(String tag) {
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("'" + tag + "' is not a valid OCI tag: up to 128 characters of"
                    + " letters, digits, '_', '.' and '-', not starting with '.' or '-'");
        }
        return tag;
    }

    public static boolean isValidTag(String tag) {
        return tag != null && TAG.matcher(tag).matches();
    }
}
