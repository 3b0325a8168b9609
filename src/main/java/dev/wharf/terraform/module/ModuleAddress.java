package dev.wharf.terraform.module;

/** A module's coordinates in a registry: {@code namespace/name/provider}. */
public record ModuleAddress(String namespace, String name, String provider) {
    @Override
    public String toString() {
        return namespace + "/" + name + "/" + provider;
    }
}
