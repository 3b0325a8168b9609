package dev.wharf.terraform.upload;

import java.util.Optional;

/** The {@code metadata} block of a {@code boring-registry.hcl}. The version may be left to {@code --version}. */
public record ModuleSpec(String namespace, String name, String provider, Optional<String> version) {
}
