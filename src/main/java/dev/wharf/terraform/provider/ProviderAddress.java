package dev.wharf.terraform.provider;

/** A provider's coordinates in a registry: {@code namespace/name} (the name is the provider type). */
public record ProviderAddress(String namespace, String name) {
    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
