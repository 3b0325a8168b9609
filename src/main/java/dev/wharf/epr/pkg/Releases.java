package dev.wharf.epr.pkg;

import dev.wharf.epr.model.Versions;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.semver4j.Semver;

/** The release stages EPR knows for packages and data streams. */
final class Releases {
    private static final Set<String> KNOWN = Set.of("experimental", "beta", "ga");

    private Releases() {
    }

    /** What a package that names no release is: a prerelease or a 0.x version is not yet GA. */
    static String defaultFor(Semver version) {
        return Versions.isPrerelease(version) || version.getMajor() < 1 ? "beta" : "ga";
    }

    static void requireKnown(@Nullable String release) throws InvalidPackageException {
        if (!KNOWN.contains(release)) {
            throw new InvalidPackageException("invalid release: \"" + release + "\"");
        }
    }
}
