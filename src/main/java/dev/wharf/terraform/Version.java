package dev.wharf.terraform;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version as Terraform reads module and provider versions: {@code MAJOR.MINOR.PATCH},
 * an optional {@code -prerelease} and {@code +build}. Ordered by semver precedence (build metadata
 * ignored, then compared as text so that the order is total).
 */
public record Version(BigInteger major, BigInteger minor, BigInteger patch, List<String> prerelease, String build, String text)
        implements Comparable<Version> {
    private static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?");

    public Version {
        prerelease = List.copyOf(prerelease);
    }

    public static Optional<Version> tryParse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = SEMVER.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        List<String> pre = m.group(4) == null ? List.of() : List.of(m.group(4).split("\\."));
        return Optional.of(new Version(new BigInteger(m.group(1)), new BigInteger(m.group(2)), new BigInteger(m.group(3)),
                pre, m.group(5) == null ? "" : m.group(5), text));
    }

    public static Version parse(String text) {
        return tryParse(text).orElseThrow(() -> new IllegalArgumentException("'" + text
                + "' is not a semantic version (MAJOR.MINOR.PATCH, optionally -prerelease and +build)"));
    }

    public boolean isPrerelease() {
        return !prerelease.isEmpty();
    }

    /** Semver precedence: equal when only build metadata differs. */
    public int comparePrecedence(Version o) {
        int c = major.compareTo(o.major);
        if (c == 0) {
            c = minor.compareTo(o.minor);
        }
        if (c == 0) {
            c = patch.compareTo(o.patch);
        }
        if (c != 0) {
            return c;
        }
        if (prerelease.isEmpty() || o.prerelease.isEmpty()) {
            return Boolean.compare(prerelease.isEmpty(), o.prerelease.isEmpty());
        }
        for (int i = 0; i < Math.min(prerelease.size(), o.prerelease.size()); i++) {
            c = compareIdentifier(prerelease.get(i), o.prerelease.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(prerelease.size(), o.prerelease.size());
    }

    private static int compareIdentifier(String a, String b) {
        boolean an = a.chars().allMatch(Character::isDigit);
        boolean bn = b.chars().allMatch(Character::isDigit);
        if (an && bn) {
            return new BigInteger(a).compareTo(new BigInteger(b));
        }
        if (an != bn) {
            return an ? -1 : 1;
        }
        return a.compareTo(b);
    }

    @Override
    public int compareTo(Version o) {
        int c = comparePrecedence(o);
        return c != 0 ? c : text.compareTo(o.text);
    }

    /** The sort key of a list of version texts: highest first, what a human expects to read. */
    public static List<String> sortDescending(List<String> versions) {
        List<Version> parsed = new ArrayList<>();
        for (String v : versions) {
            tryParse(v).ifPresent(parsed::add);
        }
        parsed.sort(java.util.Comparator.reverseOrder());
        return parsed.stream().map(Version::text).toList();
    }

    @Override
    public String toString() {
        return text;
    }
}
