package dev.wharf.terraform.upload;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One {@code --exclude} pattern as boring-registry matches it: go-git's gitignore {@code ParsePattern}
 * and {@code Match} (plumbing/format/gitignore/pattern.go), each segment a {@link GoGlob}. A pattern
 * without {@code /} matches any one name along the path; one with {@code /} matches segment by segment
 * from the module root, {@code **} standing for any number of directories, and also everything below
 * what it matched. A trailing {@code /} limits the last name to a directory.
 *
 * @param texts the pattern split at {@code /}, empty strings kept
 * @param globs each of {@code texts} compiled; one matching nothing for an empty segment and for
 *     {@code **}, which the match reads from {@code texts} instead
 * @param directoryOnly the pattern ended in {@code /}
 * @param anchored the pattern has a {@code /} (after its trailing one is dropped)
 */
record GitignorePattern(List<String> texts, List<Pattern> globs, boolean directoryOnly, boolean anchored) {
    private static final String ANY_DIRECTORIES = "**";

    static GitignorePattern parse(String raw) {
        String p = raw;
        // go-git keeps trailing spaces only when the last is escaped ("foo\ ").
        if (!p.endsWith("\\ ")) {
            p = p.replaceAll(" +$", "");
        }
        boolean directoryOnly = p.endsWith("/");
        if (directoryOnly) {
            p = p.substring(0, p.length() - 1);
        }
        boolean anchored = p.contains("/");
        List<String> texts = List.of(p.split("/", -1));
        List<Pattern> globs = new ArrayList<>();
        for (String segment : texts) {
            if (anchored && !segment.equals(ANY_DIRECTORIES) && segment.contains(ANY_DIRECTORIES)) {
                // go-git gives up on such a segment and the whole pattern excludes nothing.
                throw new IllegalArgumentException("'" + raw + "': in a pattern with a '/', '**' must be a whole segment such as a/**/b"
                        + " (the gitignore matcher never matches '" + segment + "')");
            }
            globs.add(segment.isEmpty() || segment.equals(ANY_DIRECTORIES) ? Pattern.compile("(?!)") : compile(raw, segment));
        }
        return new GitignorePattern(texts, List.copyOf(globs), directoryOnly, anchored);
    }

    private static Pattern compile(String raw, String segment) {
        try {
            return GoGlob.compile(segment);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(raw.equals(segment) ? e.getMessage() : "'" + raw + "': " + e.getMessage());
        }
    }

    /** Whether the path of these names (a directory when {@code directory}) is excluded. */
    boolean matches(List<String> path, boolean directory) {
        if (path.isEmpty()) {
            return false;
        }
        return anchored ? segmentsMatch(path, directory) : anyNameMatches(path, directory);
    }

    /** go-git's simpleNameMatch: the first name that matches decides. */
    private boolean anyNameMatches(List<String> path, boolean directory) {
        for (int i = 0; i < path.size(); i++) {
            if (globs.get(0).matcher(path.get(i)).matches()) {
                return !(directoryOnly && !directory && i == path.size() - 1);
            }
        }
        return false;
    }

    /** go-git's globMatch, step by step: its quirks (a trailing ** adds nothing, a path may go on) are boring-registry's. */
    private boolean segmentsMatch(List<String> path, boolean directory) {
        int next = 0;
        boolean matched = false;
        boolean canTraverse = false;
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text.isEmpty()) {
                canTraverse = false;
                continue;
            }
            if (text.equals(ANY_DIRECTORIES)) {
                if (i == texts.size() - 1) {
                    break;
                }
                canTraverse = true;
                continue;
            }
            if (next == path.size()) {
                return false;
            }
            Pattern glob = globs.get(i);
            if (canTraverse) {
                canTraverse = false;
                matched = false;
                while (next < path.size()) {
                    if (glob.matcher(path.get(next++)).matches()) {
                        matched = true;
                        break;
                    }
                }
            } else {
                if (!glob.matcher(path.get(next)).matches()) {
                    return false;
                }
                matched = true;
                next++;
            }
        }
        return matched && !(directoryOnly && !directory && next == path.size());
    }
}
