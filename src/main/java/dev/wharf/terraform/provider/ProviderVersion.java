package dev.wharf.terraform.provider;

import dev.wharf.terraform.layout.ProviderFile.Platform;
import java.util.List;

/** One entry of the provider versions answer. */
public record ProviderVersion(String version, List<String> protocols, List<Platform> platforms) {
}
