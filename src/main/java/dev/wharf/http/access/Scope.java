package dev.wharf.http.access;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One thing a token may do: {@code read}, {@code publish:<glob>} or {@code admin}. The glob is
 * matched against what a publish names, slash-separated ({@code acme/vpc/aws} for a module,
 * {@code acme/dummy} for a provider, the package name for a package); {@code *} matches any run of
 * characters, slashes included, so {@code acme/*} covers everything in namespace acme.
 */
public record Scope(Kind kind, String glob) {
    public enum Kind { READ, PUBLISH, ADMIN }

    private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9_.*?/-]+");

    public Scope {
        if (kind == Kind.PUBLISH && !GLOB.matcher(glob).matches()) {
            throw new IllegalArgumentException("publish scope '" + glob + "': a glob of letters, digits, '-', '_', '.', '/', '*' and '?'");
        }
    }

    public static Scope read() {
        return new Scope(Kind.READ, "");
    }

    public static Scope admin() {
        return new Scope(Kind.ADMIN, "");
    }

    public static Scope publish(String glob) {
        return new Scope(Kind.PUBLISH, glob);
    }

    /** Parses {@code read}, {@code admin} or {@code publish:GLOB}; anything else is refused with the reason. */
    public static Scope parse(String text) {
        String value = text.trim();
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.equals("read")) {
            return read();
        }
        if (lower.equals("admin")) {
            return admin();
        }
        if (lower.startsWith("publish:") && value.length() > "publish:".length()) {
            return publish(value.substring("publish:".length()));
        }
        throw new IllegalArgumentException("scope '" + value + "' is not one of read, admin, publish:GLOB (e.g. publish:acme/*)");
    }

    /**
     * Whether this scope lets its holder publish {@code subject}; {@code admin} lets publish anything.
     * Without regard to case, as names are stored: {@code ACME/x/aws} is the module {@code acme/x/aws}, so
     * {@code publish:acme/*} covers it, and {@code publish:Acme/Net/aws} covers only what is stored as
     * {@code acme/net/aws}.
     */
    public boolean allowsPublishing(String subject) {
        return kind == Kind.ADMIN || kind == Kind.PUBLISH && matches(glob.toLowerCase(Locale.ROOT), subject.toLowerCase(Locale.ROOT));
    }

    static boolean matches(String glob, String subject) {
        return matches(glob, 0, subject, 0);
    }

    private static boolean matches(String glob, int g, String subject, int s) {
        // Iterative wildcard matching with one backtrack point: linear enough for short names, no regex built from input.
        int star = -1;
        int mark = 0;
        while (s < subject.length()) {
            if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == subject.charAt(s))) {
                g++;
                s++;
            } else if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                mark = s;
            } else if (star >= 0) {
                g = star + 1;
                s = ++mark;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }

    @Override
    public String toString() {
        return switch (kind) {
            case READ -> "read";
            case ADMIN -> "admin";
            case PUBLISH -> "publish:" + glob;
        };
    }
}
