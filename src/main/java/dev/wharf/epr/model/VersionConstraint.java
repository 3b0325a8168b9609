package dev.wharf.epr.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.semver4j.Semver;

/**
 * A version range with the grammar and meaning of Masterminds' semver v3 {@code NewConstraint} and
 * {@code Check}, which EPR uses for {@code conditions.kibana.version} and {@code agent.version}:
 * {@code ||} between alternatives, spaces or commas between the parts of one, {@code a - b}
 * ranges, {@code x}/{@code *} wildcards, the operators {@code = != > < >= => <= =< ~ ~> ^} and
 * prereleases only matched by an alternative that names one. Its quirks are kept on purpose
 * ({@code =>} is {@code >=}; a wildcard digit class that lets {@code |} through and then fails).
 */
public final class VersionConstraint {
    private static final String OPS = "(=||!=|>|<|>=|=>|<=|=<|~|~>|\\^)";
    private static final String VERSION = "(v?([0-9|xX*]+)(\\.[0-9|xX*]+)?(\\.[0-9|xX*]+)?"
            + "(-([0-9A-Za-z\\-]+(?:\\.[0-9A-Za-z\\-]+)*))?(\\+([0-9A-Za-z\\-]+(?:\\.[0-9A-Za-z\\-]+)*))?)";
    private static final String BARE = VERSION.replaceAll("\\((?!\\?)", "(?:");
    /** Compiled once: String.split compiled this two-character pattern on every call, most of this class's time in an index. */
    private static final Pattern ALTERNATIVES = Pattern.compile("\\|\\|");
    private static final Pattern HYPHEN_RANGE = Pattern.compile("\\s*(" + BARE + ")\\s+-\\s+(" + BARE + ")\\s*");
    private static final Pattern ONE = Pattern.compile("^\\s*" + OPS + "\\s*" + VERSION + "\\s*$");
    private static final Pattern FIND = Pattern.compile(OPS.replace("(", "(?:") + "\\s*" + BARE);
    private static final Pattern VALID_GROUP = Pattern.compile("^\\s*" + OPS.replace("(", "(?:") + "\\s*" + BARE
            + "\\s*(?:(?:\\s+|,\\s*)" + OPS.replace("(", "(?:") + "\\s*" + BARE + "\\s*)*$");

    private final List<List<Part>> alternatives;

    private VersionConstraint(List<List<Part>> alternatives) {
        this.alternatives = alternatives;
    }

    /** The constraint, or empty where EPR's parser gives an error. */
    public static Optional<VersionConstraint> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        // A hyphen range needs a '-': without one the pattern is not tried at every position of the text.
        String rewritten = text.indexOf('-') < 0 ? text
                : HYPHEN_RANGE.matcher(text).replaceAll(m -> Matcher.quoteReplacement(">= " + m.group(1) + ", <= " + m.group(2) + " "));
        List<List<Part>> alternatives = new ArrayList<>();
        for (String group : ALTERNATIVES.split(rewritten, -1)) {
            if (!VALID_GROUP.matcher(group).matches()) {
                return Optional.empty();
            }
            List<Part> parts = new ArrayList<>();
            Matcher tokens = FIND.matcher(group);
            while (tokens.find()) {
                Optional<Part> part = Part.parse(tokens.group());
                if (part.isEmpty()) {
                    return Optional.empty();
                }
                parts.add(part.get());
            }
            if (parts.isEmpty()) {
                return Optional.empty();
            }
            alternatives.add(List.copyOf(parts));
        }
        return Optional.of(new VersionConstraint(List.copyOf(alternatives)));
    }

    public boolean check(Semver version) {
        return check(LooseVersion.of(version));
    }

    /** Whether {@code v} is in the range, as Masterminds' {@code Check} says of a version {@code NewVersion} read. */
    public boolean check(LooseVersion v) {
        for (List<Part> parts : alternatives) {
            boolean includePre = parts.stream().anyMatch(p -> !p.con.pre().isEmpty());
            if (parts.stream().allMatch(p -> p.accepts(v, includePre))) {
                return true;
            }
        }
        return false;
    }

    /** One operator and version; dirty parts had a wildcard or a missing minor/patch. */
    private record Part(String op, LooseVersion con, boolean dirty, boolean minorDirty, boolean patchDirty) {
        static Optional<Part> parse(String token) {
            Matcher m = ONE.matcher(token);
            if (!m.matches()) {
                return Optional.empty();
            }
            String major = m.group(3);
            String minor = m.group(4) == null ? "" : m.group(4).substring(1);
            String patch = m.group(5) == null ? "" : m.group(5).substring(1);
            String pre = m.group(6) == null ? "" : m.group(6);
            Optional<LooseVersion> con;
            boolean minorDirty = false;
            boolean patchDirty = false;
            boolean dirty = true;
            if (isWildcard(major)) {
                con = LooseVersion.of("0.0.0" + pre);
            } else if (isWildcard(minor) || minor.isEmpty()) {
                minorDirty = true;
                con = LooseVersion.of(major + ".0.0" + pre);
            } else if (isWildcard(patch) || patch.isEmpty()) {
                patchDirty = true;
                con = LooseVersion.of(major + "." + minor + ".0" + pre);
            } else {
                dirty = false;
                con = LooseVersion.of(m.group(2));
            }
            boolean d = dirty;
            boolean md = minorDirty;
            boolean pd = patchDirty;
            return con.map(c -> new Part(m.group(1), c, d, md, pd));
        }

        private static boolean isWildcard(String s) {
            return s.equals("x") || s.equals("X") || s.equals("*");
        }

        boolean accepts(LooseVersion v, boolean includePre) {
            if (!v.pre().isEmpty() && !includePre) {
                return false;
            }
            return switch (op) {
                case "", "=" -> dirty ? tilde(v) : v.compareTo(con) == 0;
                case "!=" -> notEqual(v);
                case ">" -> greater(v);
                case "<" -> v.compareTo(con) < 0;
                case ">=", "=>" -> v.compareTo(con) >= 0;
                case "<=", "=<" -> lessOrEqual(v);
                case "~", "~>" -> tilde(v);
                case "^" -> caret(v);
                default -> false;
            };
        }

        private boolean notEqual(LooseVersion v) {
            if (dirty) {
                if (con.major() != v.major()) {
                    return true;
                }
                if (con.minor() != v.minor() && !minorDirty) {
                    return true;
                } else if (minorDirty) {
                    return false;
                } else if (con.patch() != v.patch() && !patchDirty) {
                    return true;
                } else if (patchDirty) {
                    return (!v.pre().isEmpty() || !con.pre().isEmpty()) && Versions.comparePrerelease(v.pre(), con.pre()) != 0;
                }
            }
            return v.compareTo(con) != 0;
        }

        private boolean greater(LooseVersion v) {
            if (!dirty) {
                return v.compareTo(con) > 0;
            }
            if (v.major() != con.major()) {
                return Long.compareUnsigned(v.major(), con.major()) > 0;
            }
            if (minorDirty) {
                return false;
            }
            if (patchDirty) {
                return Long.compareUnsigned(v.minor(), con.minor()) > 0;
            }
            return v.compareTo(con) > 0;
        }

        private boolean lessOrEqual(LooseVersion v) {
            if (!dirty) {
                return v.compareTo(con) <= 0;
            }
            if (Long.compareUnsigned(v.major(), con.major()) > 0) {
                return false;
            }
            return !(v.major() == con.major() && Long.compareUnsigned(v.minor(), con.minor()) > 0 && !minorDirty);
        }

        private boolean tilde(LooseVersion v) {
            if (v.compareTo(con) < 0) {
                return false;
            }
            if (con.major() == 0 && con.minor() == 0 && con.patch() == 0 && !minorDirty && !patchDirty) {
                return true;
            }
            return v.major() == con.major() && (v.minor() == con.minor() || minorDirty);
        }

        private boolean caret(LooseVersion v) {
            if (v.compareTo(con) < 0) {
                return false;
            }
            // Unsigned, as Go's uint64: "> 0" is "!= 0", also for a number past Long.MAX_VALUE.
            if (con.major() != 0 || minorDirty) {
                return v.major() == con.major();
            }
            if (v.major() != 0) {
                return false;
            }
            if (con.minor() != 0 || patchDirty) {
                return v.minor() == con.minor();
            }
            if (v.minor() != 0) {
                return false;
            }
            return con.patch() == v.patch();
        }
    }
}
