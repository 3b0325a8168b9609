package dev.wharf.terraform.upload;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code upload module --exclude}, matched as boring-registry matches it ({@link GitignorePattern}:
 * go-git's gitignore patterns over Go's {@code filepath.Match}, so {@code *}, {@code ?},
 * {@code [0-9]}, {@code [^a]}, {@code \} escapes, {@code **} and a trailing {@code /}). Negations
 * ({@code !…}) are refused, as boring-registry refuses them; a pattern boring-registry would
 * silently never match (an unclosed {@code [}, say) is refused too, naming what is wrong.
 */
public final class ExcludePatterns {
    private final List<GitignorePattern> rules;

    private ExcludePatterns(List<GitignorePattern> rules) {
        this.rules = rules;
    }

    public static ExcludePatterns none() {
        return new ExcludePatterns(List.of());
    }

    public static ExcludePatterns of(List<String> patterns) {
        List<GitignorePattern> rules = new ArrayList<>();
        for (String raw : patterns) {
            // Not stripped: go-git keeps leading spaces and an escaped trailing one ("foo\ ").
            if (raw == null || raw.isBlank()) {
                continue;
            }
            if (raw.startsWith("!")) {
                throw new IllegalArgumentException("--exclude: negation patterns are not supported: '" + raw + "'");
            }
            try {
                rules.add(GitignorePattern.parse(raw));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--exclude " + e.getMessage(), e);
            }
        }
        return new ExcludePatterns(List.copyOf(rules));
    }

    /** Whether {@code relativePath} (with '/' separators) is excluded. */
    public boolean excludes(String relativePath, boolean directory) {
        List<String> names = List.of(relativePath.split("/", -1));
        return rules.stream().anyMatch(rule -> rule.matches(names, directory));
    }
}
