package dev.wharf.epr.model;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.semver4j.Semver;

/**
 * A version as Masterminds' coercing {@code NewVersion} reads one, which EPR uses for its query
 * versions ({@code kibana.version}, {@code agent.version}, {@code spec.min}, {@code spec.max}) and
 * for the versions in a range: missing minor and patch are zero, leading zeros are taken, and major,
 * minor and patch are unsigned 64-bit numbers (Go's {@code uint64}), held here in a {@code long} and
 * always compared and printed unsigned. semver4j keeps them in an {@code int}, so a query of
 * {@code kibana.version=8.4294967296.0}, which EPR takes, cannot be one of its versions.
 *
 * @param pre the prerelease identifiers joined by dots, empty for a release
 * @param build the build metadata, empty when there is none; it does not count in comparisons
 */
public record LooseVersion(long major, long minor, long patch, String pre, String build) implements Comparable<LooseVersion> {
    /** Masterminds' loose pattern, which its coercing {@code NewVersion} matches the whole text against. */
    private static final Pattern LOOSE = Pattern.compile(
            "v?([0-9]+)(\\.[0-9]+)?(\\.[0-9]+)?(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?");

    /**
     * {@code text} read as {@code NewVersion} reads it, or refused with the words of its error, which
     * EPR answers with: {@code invalid semantic version}; for a number past {@code uint64}, Go's
     * {@code error parsing version segment: strconv.ParseUint: parsing "…": value out of range}; for
     * a numeric prerelease identifier such as {@code 01}, {@code version segment starts with 0}. As
     * there, the numbers are read before the prerelease is checked.
     */
    public static LooseVersion parse(String text) {
        Matcher m = LOOSE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid semantic version");
        }
        long major = segment(m.group(1));
        long minor = m.group(2) == null ? 0 : segment(m.group(2).substring(1));
        long patch = m.group(3) == null ? 0 : segment(m.group(3).substring(1));
        String pre = m.group(4) == null ? "" : m.group(4);
        for (String id : pre.isEmpty() ? new String[0] : pre.split("\\.")) {
            if (id.length() > 1 && id.charAt(0) == '0' && id.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("version segment starts with 0");
            }
        }
        return new LooseVersion(major, minor, patch, pre, m.group(5) == null ? "" : m.group(5));
    }

    /** {@link #parse}, or empty where it refuses {@code text}. */
    public static Optional<LooseVersion> of(String text) {
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The same version, for comparing an index's versions (semver4j's) with a query's. */
    public static LooseVersion of(Semver v) {
        return new LooseVersion(v.getMajor(), v.getMinor(), v.getPatch(), String.join(".", v.getPreRelease()), String.join(".", v.getBuild()));
    }

    /** Go's {@code strconv.ParseUint(digits, 10, 64)}: any number of leading zeros, nothing past 2^64 - 1. */
    private static long segment(String digits) {
        try {
            return Long.parseUnsignedLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("error parsing version segment: strconv.ParseUint: parsing \"" + digits + "\": value out of range");
        }
    }

    public boolean isPrerelease() {
        return !pre.isEmpty();
    }

    /** Masterminds' {@code Compare}: major, minor and patch unsigned, then the prerelease ({@link Versions#comparePrerelease}). */
    @Override
    public int compareTo(LooseVersion o) {
        int c = Long.compareUnsigned(major, o.major);
        if (c == 0) {
            c = Long.compareUnsigned(minor, o.minor);
        }
        if (c == 0) {
            c = Long.compareUnsigned(patch, o.patch);
        }
        return c != 0 ? c : Versions.comparePrerelease(pre, o.pre);
    }

    /** Masterminds' {@code String}: the numbers unsigned, without a leading {@code v} or zeros. */
    @Override
    public String toString() {
        return Long.toUnsignedString(major) + "." + Long.toUnsignedString(minor) + "." + Long.toUnsignedString(patch)
                + (pre.isEmpty() ? "" : "-" + pre) + (build.isEmpty() ? "" : "+" + build);
    }
}
