package dev.wharf.terraform.upload;

import dev.wharf.terraform.Version;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Terraform's version constraint language: comma-separated conditions that must all hold, each an
 * operator ({@code =}, {@code !=}, {@code >}, {@code >=}, {@code <}, {@code <=}, {@code ~>}, none
 * meaning {@code =}) and a version that may omit minor and patch. {@code ~> 1.2} allows 1.2 up to
 * below 2.0, {@code ~> 1.2.3} allows 1.2.3 up to below 1.3. A pre-release version matches only a
 * condition that names a pre-release of the same MAJOR.MINOR.PATCH, as in Terraform.
 */
public final class VersionConstraints {
    private static final Pattern CONDITION = Pattern.compile(
            "\\s*(=|!=|>=|<=|>|<|~>)?\\s*v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:-([0-9A-Za-z.-]+))?(?:\\+[0-9A-Za-z.-]+)?\\s*");

    private record Condition(String op, Version version, int segments) {
    }

    private final List<Condition> conditions;
    private final String text;

    private VersionConstraints(List<Condition> conditions, String text) {
        this.conditions = conditions;
        this.text = text;
    }

    public static VersionConstraints parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty version constraint");
        }
        List<Condition> conditions = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            Matcher m = CONDITION.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("malformed version constraint '" + part.trim() + "' in '" + text
                        + "': expected an operator (=, !=, >, >=, <, <=, ~>) and a version such as 1.2.3");
            }
            int segments = m.group(4) != null ? 3 : m.group(3) != null ? 2 : 1;
            List<String> pre = m.group(5) == null ? List.of() : List.of(m.group(5).split("\\."));
            Version v = Version.of(new BigInteger(m.group(2)), number(m.group(3)), number(m.group(4)), pre);
            conditions.add(new Condition(m.group(1) == null ? "=" : m.group(1), v, segments));
        }
        return new VersionConstraints(List.copyOf(conditions), text);
    }

    public boolean allows(Version v) {
        return conditions.stream().allMatch(c -> allows(c, v));
    }

    private static boolean allows(Condition c, Version v) {
        Version target = c.version();
        if (v.isPrerelease()) {
            if (!target.isPrerelease() || !sameRelease(v, target)) {
                return false;
            }
        } else if (target.isPrerelease() && c.op().equals("~>")) {
            return false;
        }
        int cmp = v.comparePrecedence(target);
        return switch (c.op()) {
            case "=" -> cmp == 0;
            case "!=" -> cmp != 0;
            case ">" -> cmp > 0;
            case ">=" -> cmp >= 0;
            case "<" -> cmp < 0;
            case "<=" -> cmp <= 0;
            case "~>" -> cmp >= 0 && v.comparePrecedence(pessimisticUpperBound(c)) < 0;
            default -> throw new IllegalStateException(c.op());
        };
    }

    /** {@code ~> 1.2.3} → 1.3.0; {@code ~> 1.2} and {@code ~> 1} → 2.0.0. */
    private static Version pessimisticUpperBound(Condition c) {
        Version t = c.version();
        if (c.segments() == 3) {
            return Version.of(t.major(), t.minor().add(BigInteger.ONE), BigInteger.ZERO, List.of());
        }
        return Version.of(t.major().add(BigInteger.ONE), BigInteger.ZERO, BigInteger.ZERO, List.of());
    }

    private static boolean sameRelease(Version a, Version b) {
        return a.major().equals(b.major()) && a.minor().equals(b.minor()) && a.patch().equals(b.patch());
    }

    private static BigInteger number(String s) {
        return s == null ? BigInteger.ZERO : new BigInteger(s);
    }

    @Override
    public String toString() {
        return text;
    }
}
