package dev.wharf.terraform.upload;

import dev.wharf.terraform.Version;
import java.util.Collection;
import java.util.Optional;

/**
 * A stored version that is the same to terraform as one being published: {@code 1.0.0+build.2}
 * and {@code 1.0.0} differ only in build metadata, which version precedence ignores (SemVer 2.0.0
 * §10, hashicorp/go-version's {@code Compare}). Terraform keeps the first of equal versions it is
 * given, so storing the second changed what an existing pin installs: "never overwritten" held for
 * the tag, not for what {@code version = "1.0.0"} gets.
 */
final class SamePrecedence {
    private SamePrecedence() {
    }

    /** The first of {@code stored} that equals {@code version} in precedence but is spelt otherwise. */
    static Optional<String> among(Collection<String> stored, String version) {
        Optional<Version> asked = Version.tryParse(version);
        if (asked.isEmpty()) {
            return Optional.empty();
        }
        return stored.stream()
                .filter(s -> !s.equals(version))
                .filter(s -> Version.tryParse(s).filter(v -> v.comparePrecedence(asked.get()) == 0).isPresent())
                .findFirst();
    }

    static VersionExistsException refusal(String what, String version, String stored) {
        return new VersionExistsException(what + " version " + version + " is version " + stored
                + " to terraform, which is stored: versions that differ only in build metadata are one version, never overwritten",
                false);
    }
}
