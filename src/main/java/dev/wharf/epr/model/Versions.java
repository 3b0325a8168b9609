package dev.wharf.epr.model;

import java.util.Comparator;
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
    /** Semver 2's: a numeric pre-release identifier has no leading zero, as semver4j requires too. */
    private static final Pattern STRICT = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
            + "(-(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*))*)?"
            + "(\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?");

    /**
     * EPR's order of versions (Masterminds' {@code Compare}): major, minor, patch, then the
     * prerelease by {@link #comparePrerelease}; build metadata does not count. semver4j's own order
     * differs: it puts {@code 1.0.0-beta10} after {@code 1.0.0-beta9}, where EPR puts it before.
     */
    public static final Comparator<Semver> PRECEDENCE = Versions::compare;

    private Versions() {
    }

    /** {@link #PRECEDENCE}. */
    public static int compare(Semver a, Semver b) {
        int c = Integer.compare(a.getMajor(), b.getMajor());
        if (c == 0) {
            c = Integer.compare(a.getMinor(), b.getMinor());
        }
        if (c == 0) {
            c = Integer.compare(a.getPatch(), b.getPatch());
        }
        if (c != 0 || a.getPreRelease().isEmpty() && b.getPreRelease().isEmpty()) {
            // Most packages are releases: a search's sort compares them without joining empty lists.
            return c;
        }
        return comparePrerelease(String.join(".", a.getPreRelease()), String.join(".", b.getPreRelease()));
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

    /**
     * Whether Masterminds' {@code StrictNewVersion} takes {@code text}, as EPR checks the version in a
     * route's path: {@link #isStrict}'s form with numbers up to Go's {@code uint64}. No package in
     * the index has a version past an int ({@link #strict} cannot make one), so such a version is
     * one the index lacks (404), not a refused one (400).
     */
    public static boolean isStrictUnsigned(@Nullable String text) {
        return strictMatch(text, number -> LooseVersion.of(number).isPresent()) != null;
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
        return strictMatch(text, Versions::fitsAnInt);
    }

    /** The pattern's match of {@code text} when each of major, minor and patch {@code fits}, or null. */
    private static @Nullable Matcher strictMatch(@Nullable String text, Predicate<String> fits) {
        if (text == null) {
            return null;
        }
        Matcher m = STRICT.matcher(text);
        if (!m.matches()) {
            return null;
        }
        for (int group = 1; group <= 3; group++) {
            if (!fits.test(m.group(group))) {
                return null;
            }
        }
        return m;
    }

    private static boolean fitsAnInt(String digits) {
        return digits.length() < 10 || (digits.length() == 10 && digits.compareTo(String.valueOf(Integer.MAX_VALUE)) <= 0);
    }

    /** A version as Masterminds' coercing {@code NewVersion} accepts it ({@link #coerced}), or empty. */
    public static Optional<LooseVersion> lenient(@Nullable String text) {
        return text == null ? Optional.empty() : LooseVersion.of(text);
    }

    /**
     * A version as Masterminds' coercing {@code NewVersion} reads one, EPR's query versions: missing
     * minor and patch are zero, leading zeros are taken ({@code 08.10} is 8.10.0), numbers up to
     * Go's {@code uint64}, nothing around the version (a space is refused). Refused with its words,
     * which EPR answers with ({@link LooseVersion#parse}).
     */
    public static LooseVersion coerced(String text) {
        return LooseVersion.parse(text);
    }

    /** A version range as EPR reads one (see {@link VersionConstraint}), or empty when EPR refuses it. */
    public static Optional<Predicate<Semver>> range(String text) {
        return VersionConstraint.parse(text).map(c -> c::check);
    }

    public static boolean isPrerelease(Semver v) {
        return !v.getPreRelease().isEmpty();
    }

    /**
     * Masterminds' precedence of two prereleases (dot-separated): numeric identifiers as numbers,
     * others as text, a number below a word, a shorter list first when the rest is equal; none ranks
     * above any.
     */
    static int comparePrerelease(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() ? 1 : -1;
        }
        String[] pa = a.split("\\.");
        String[] pb = b.split("\\.");
        for (int i = 0; i < Math.min(pa.length, pb.length); i++) {
            int c = compareIdentifier(pa[i], pb[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(pa.length, pb.length);
    }

    private static int compareIdentifier(String a, String b) {
        Optional<Long> na = unsigned(a);
        Optional<Long> nb = unsigned(b);
        if (na.isPresent() && nb.isPresent()) {
            return Long.compareUnsigned(na.get(), nb.get());
        }
        if (na.isPresent() != nb.isPresent()) {
            return na.isPresent() ? -1 : 1;
        }
        return Integer.signum(a.compareTo(b));
    }

    /** A number as Go's {@code ParseUint} reads one; bigger ones compare as text, as there. */
    private static Optional<Long> unsigned(String s) {
        try {
            return Optional.of(Long.parseUnsignedLong(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
