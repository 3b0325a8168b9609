package dev.wharf.epr.model;

import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.semver4j.Semver;

/**
 * Version parsing as EPR does it with Masterminds' semver: package versions strictly
 * ({@code 1.2.3}, {@code 1.21.0-beta1}), query versions leniently ({@code 8}, {@code v8.1}), and
 * ranges with Masterminds' grammar ({@link VersionConstraint}).
 */
public final class Versions {
    private static final Pattern LENIENT = Pattern.compile(
            "v?(0|[1-9]\\d*)(?:\\.(0|[1-9]\\d*))?(?:\\.(0|[1-9]\\d*))?(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");
    /** Semver 2's: a numeric pre-release identifier has no leading zero, as semver4j requires too. */
    private static final Pattern STRICT = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(-(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*))*)?"
            + "(\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?");

    private Versions() {
    }

    /** A version exactly as semver 2 writes it, or empty. */
    public static Optional<Semver> strict(String text) {
        if (!isStrict(text)) {
            return Optional.empty();
        }
        return Optional.ofNullable(Semver.parse(text));
    }

    /**
     * Whether {@link #strict} takes {@code text}, without making the version: semver4j formats every
     * version it makes with {@code String.format}, and checking a tag, a route's version or a format
     * version needs only the answer (bench/RESULTS.md, session 24). Its one rule beyond the pattern:
     * major, minor and patch within an int.
     */
    public static boolean isStrict(@Nullable String text) {
        return strictMatch(text) != null;
    }

    /** A strict version's major and minor, as {@code major.minor.0} (what a format version's spec is looked up by), or empty. */
    public static Optional<Semver> majorMinor(@Nullable String text) {
        Matcher m = strictMatch(text);
        if (m == null) {
            return Optional.empty();
        }
        // Made once: through strict() and Semver.of, each such version was formatted twice.
        return Optional.of(Semver.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), 0).build());
    }

    /** The pattern's match of a version {@link #strict} takes, or null. */
    private static @Nullable Matcher strictMatch(@Nullable String text) {
        if (text == null) {
            return null;
        }
        Matcher m = STRICT.matcher(text);
        if (!m.matches()) {
            return null;
        }
        for (int group = 1; group <= 3; group++) {
            if (!fitsAnInt(m.group(group))) {
                return null;
            }
        }
        return m;
    }

    private static boolean fitsAnInt(String digits) {
        return digits.length() < 10 || (digits.length() == 10 && digits.compareTo(String.valueOf(Integer.MAX_VALUE)) <= 0);
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
