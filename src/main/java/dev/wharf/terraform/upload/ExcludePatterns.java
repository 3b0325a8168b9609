package dev.wharf.terraform.upload;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * gitignore-style exclusions for {@code upload module --exclude}: {@code *} and {@code ?} within a
 * path segment, {@code **} across segments, a trailing {@code /} for directories only, a leading or
 * inner {@code /} anchoring the pattern at the module root, otherwise matched against every level.
 * Negations ({@code !…}) are refused, as boring-registry refuses them.
 */
public final class ExcludePatterns {
    private record Rule(Pattern regex, boolean directoriesOnly) {
    }

    private final List<Rule> rules;

    private ExcludePatterns(List<Rule> rules) {
        this.rules = rules;
    }

    public static ExcludePatterns none() {
        return new ExcludePatterns(List.of());
    }

    public static ExcludePatterns of(List<String> patterns) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : patterns) {
            if (raw == null || raw.isBlank()) {
                continue;
            }
            String p = raw.strip();
            if (p.startsWith("!")) {
                throw new IllegalArgumentException("negation patterns are not supported: '" + raw + "'");
            }
            boolean dirOnly = p.endsWith("/");
            if (dirOnly) {
                p = p.substring(0, p.length() - 1);
            }
            boolean anchored = p.contains("/");
            if (p.startsWith("/")) {
                p = p.substring(1);
            }
            String body = globToRegex(p);
            String regex = anchored ? body : "(?:.*/)?" + body;
            rules.add(new Rule(Pattern.compile(regex), dirOnly));
        }
        return new ExcludePatterns(List.copyOf(rules));
    }

    /** Whether {@code relativePath} (with '/' separators) is excluded. */
    public boolean excludes(String relativePath, boolean directory) {
        for (Rule rule : rules) {
            if (rule.directoriesOnly() && !directory) {
                continue;
            }
            if (rule.regex().matcher(relativePath).matches()) {
                return true;
            }
        }
        return false;
    }

    private static String globToRegex(String glob) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                boolean slash = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                out.append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            } else if (c == '*') {
                out.append("[^/]*");
            } else if (c == '?') {
                out.append("[^/]");
            } else {
                out.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return out.toString();
    }
}
