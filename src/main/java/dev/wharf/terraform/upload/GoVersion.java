package dev.wharf.terraform.upload;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version as hashicorp/go-version v1.9.0 reads and orders it, which is what boring-registry's
 * {@code --version-constraints-semver} compares with. It is not SemVer: any number of segments
 * (fewer than three padded with zeros, the count given kept for {@code ~>}), a pre-release may
 * follow the numbers without a hyphen in a constraint, and pre-releases order by go-version's own
 * rules ({@code 1.0.0-alpha} is above {@code 1.0.0-alpha.beta}; parts {@code 01} and {@code 1} each
 * compare below the other).
 * Copying those quirks is the point: a filter that is "more correct" uploads other versions than
 * the boring-registry it stands in for.
 *
 * @param segments the numbers, at least three
 * @param specified how many numbers the text gave
 * @param prerelease the text after the numbers' {@code -}, empty for a release
 */
record GoVersion(List<Long> segments, int specified, String prerelease) {
    // go-version's VersionRegexpRaw / SemverRegexpRaw (version.go): they differ only in whether a
    // pre-release starting with a letter needs its hyphen.
    private static final String NUMBERS = "v?([0-9]+(?:\\.[0-9]+)*?)";
    private static final String BUILD = "(?:\\+[0-9A-Za-z\\-~]+(?:\\.[0-9A-Za-z\\-~]+)*)??";
    private static final String PRE_NUMERIC = "-([0-9]+[0-9A-Za-z\\-~]*(?:\\.[0-9A-Za-z\\-~]+)*)";
    private static final String PRE_ALPHA = "([A-Za-z\\-~]+[0-9A-Za-z\\-~]*(?:\\.[0-9A-Za-z\\-~]+)*)";
    static final String LOOSE = NUMBERS + "(?:" + PRE_NUMERIC + "|-?" + PRE_ALPHA + ")?" + BUILD;
    private static final Pattern LOOSE_PATTERN = Pattern.compile(LOOSE);
    private static final Pattern SEMVER_PATTERN = Pattern.compile(NUMBERS + "(?:" + PRE_NUMERIC + "|-" + PRE_ALPHA + ")?" + BUILD);

    GoVersion {
        segments = List.copyOf(segments);
    }

    /** As go-version's {@code NewVersion}, which reads a constraint's version; empty when it refuses the text. */
    static Optional<GoVersion> parseLoose(String text) {
        return parse(LOOSE_PATTERN.matcher(text));
    }

    /** As go-version's {@code NewSemver}, which boring-registry reads a module's version with. */
    static Optional<GoVersion> parseSemver(String text) {
        return parse(SEMVER_PATTERN.matcher(text));
    }

    private static Optional<GoVersion> parse(Matcher m) {
        if (!m.matches()) {
            return Optional.empty();
        }
        String[] numbers = m.group(1).split("\\.");
        List<Long> segments = new ArrayList<>();
        for (String n : numbers) {
            try {
                segments.add(Long.parseLong(n));
            } catch (NumberFormatException e) {
                // go-version parses each number as an int64 and refuses the version when one overflows.
                return Optional.empty();
            }
        }
        while (segments.size() < 3) {
            segments.add(0L);
        }
        String pre = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : "";
        return Optional.of(new GoVersion(segments, numbers.length, pre));
    }

    boolean isPrerelease() {
        return !prerelease.isEmpty();
    }

    /** go-version's {@code equalSegments}: the same numbers, and as many of them (padding counts). */
    boolean equalSegments(GoVersion o) {
        return segments.equals(o.segments);
    }

    /** go-version's {@code Compare}: -1, 0 or 1. */
    int compare(GoVersion o) {
        if (equalSegments(o)) {
            if (!isPrerelease() || !o.isPrerelease()) {
                return Boolean.compare(!isPrerelease(), !o.isPrerelease());
            }
            return comparePrereleases(prerelease, o.prerelease);
        }
        // Segments of unequal count compare as if the shorter were padded with zeros; the pre-release
        // is then not looked at (1.0.0.0 equals 1.0.0-beta), as in go-version.
        int longest = Math.max(segments.size(), o.segments.size());
        for (int i = 0; i < longest; i++) {
            long self = i < segments.size() ? segments.get(i) : 0;
            long other = i < o.segments.size() ? o.segments.get(i) : 0;
            if (self != other) {
                return self < other ? -1 : 1;
            }
        }
        return 0;
    }

    private static int comparePrereleases(String self, String other) {
        if (self.equals(other)) {
            return 0;
        }
        String[] a = self.split("\\.", -1);
        String[] b = other.split("\\.", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int c = comparePart(i < a.length ? a[i] : "", i < b.length ? b[i] : "");
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** go-version's {@code comparePart}, including a missing part and equal numbers spelt otherwise. */
    private static int comparePart(String self, String other) {
        if (self.equals(other)) {
            return 0;
        }
        GoInt selfNumber = GoInt.parse(self);
        GoInt otherNumber = GoInt.parse(other);
        if (self.isEmpty()) {
            return otherNumber.numeric() ? -1 : 1;
        }
        if (other.isEmpty()) {
            return selfNumber.numeric() ? 1 : -1;
        }
        if (selfNumber.numeric() != otherNumber.numeric()) {
            return selfNumber.numeric() ? -1 : 1;
        }
        if (!selfNumber.numeric() && self.compareTo(other) > 0) {
            return 1;
        }
        // Reached by two numbers and by two texts in ascending order, which go-version then still
        // orders by their (failed) parse values: only an overflowing number makes those differ.
        return selfNumber.value() > otherNumber.value() ? 1 : -1;
    }
}
