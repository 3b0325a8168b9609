package dev.wharf.epr.model;

import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.semver4j.Semver;

/**
 * Version parsing as EPR does it with Masterminds' semver: package versions strictly
 * ({@code 1.2.3}, {@code 1.21.0-beta1}), query versions leniently ({@code 8}, {@code v8.1}), and
 * ranges with Masterminds' grammar ({@link VersionConstraint}).
 */
public final class Versions {
    private static final Pattern LENIENT = Pattern.compile(
            "v?(0|[1-9]\\d*)(?:\\.(0|[1-9]\\d*))?(?:\\.(0|[1-9]\\d*))?(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");
    private static final Pattern STRICT = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?");

    private Versions() {
    }

    /** A version exactly as semver 2 writes it, or empty. */
    public static Optional<Semver> strict(String text) {
        if (text == null || !STRICT.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.ofNullable(Semver.parse(text));
    }

    /** A version as Masterminds' {@code NewVersion} accepts it: missing minor and patch are zero. */
    public static Optional<Semver> lenient(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = LENIENT.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        String v = m.group(1) + "." + (m.group(2) == null ? "0" : m.group(2)) + "." + (m.group(3) == null ? "0" : m.group(3))
                + (m.group(4) == null ? "" : m.group(4)) + (m.group(5) == null ? "" : m.group(5));
        return Optional.ofNullable(Semver.parse(v));
    }

    /** A version range as EPR reads one (see {@link VersionConstraint}), or empty when EPR refuses it. */
    public static Optional<Predicate<Semver>> range(String text) {
        return VersionConstraint.parse(text).map(c -> c::check);
    }

    public static boolean isPrerelease(Semver v) {
        return !v.getPreRelease().isEmpty();
    }
}
