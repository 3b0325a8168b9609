package dev.wharf.epr.model;

import java.util.regex.Pattern;

/** EPR's package names: lower-case letters, digits and '_', as its routes and the package spec take them. */
public final class PackageNames {
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]+");

    private PackageNames() {
    }

    public static boolean isValid(String name) {
        return NAME.matcher(name).matches();
    }
}
