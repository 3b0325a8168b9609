package dev.wharf.terraform.mirror;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A provider as the network mirror protocol addresses it: origin hostname, namespace and type
 * ({@code registry.terraform.io/hashicorp/aws}). Terraform compares these case-insensitively and
 * the OCI layout stores them lower-cased, so they are lower-cased here.
 */
public record MirrorCoordinates(String hostname, String namespace, String type) {
    private static final Pattern HOSTNAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9_-]*[a-z0-9])?");

    public MirrorCoordinates {
        hostname = lower(hostname);
        namespace = lower(namespace);
        type = lower(type);
        if (!HOSTNAME.matcher(hostname).matches()) {
            throw new IllegalArgumentException("'" + hostname + "' is not a valid registry hostname");
        }
        if (!NAME.matcher(namespace).matches()) {
            throw new IllegalArgumentException("'" + namespace + "' is not a valid provider namespace");
        }
        if (!NAME.matcher(type).matches() || type.contains("_")) {
            throw new IllegalArgumentException("'" + type + "' is not a valid provider type");
        }
    }

    public String archiveFileName(String version, String os, String arch) {
        return "terraform-provider-" + type + "_" + version + "_" + os + "_" + arch + ".zip";
    }

    @Override
    public String toString() {
        return hostname + "/" + namespace + "/" + type;
    }

    private static String lower(String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("provider address parts must not be empty");
        }
        return s.toLowerCase(Locale.ROOT);
    }
}
