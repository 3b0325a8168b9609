package dev.wharf.http.ui;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Where a sign-in leads next: a path of this UI, never another host or scheme, so the form cannot be made an open
 * redirect. The path is first made what a browser makes of it (dot segments, percent-encoded ones too, taken out as
 * the URL standard does), then checked: checked as written, {@code /ui/../..//host/} passed as a path under
 * {@code /ui/} and the browser followed it to {@code //host/}, a protocol-relative address once anything reads it
 * as a link. What is returned is that made path, so the browser has nothing left to resolve.
 */
public final class NextPath {
    private NextPath() {
    }

    /** {@code next} as a browser resolves it, when that is under {@code root} (such as {@code /ui/}); else {@code root}. */
    public static String within(@Nullable String next, String root) {
        // Control characters a browser strips, and backslashes it reads as slashes: no path of the UI has one.
        if (next == null || !next.startsWith("/") || next.indexOf('\\') >= 0 || next.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return root;
        }
        int end = pathEnd(next);
        String resolved = withoutDotSegments(next.substring(0, end)) + next.substring(end);
        return resolved.startsWith(root) && !resolved.startsWith("//") ? resolved : root;
    }

    /** Where the path of a reference ends: at its query or fragment, else at its end. */
    static int pathEnd(String reference) {
        int end = reference.length();
        for (char stop : new char[] {'?', '#'}) {
            int at = reference.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return end;
    }

    /**
     * An absolute path with its dot segments removed by the URL standard's rules: {@code .} and {@code %2e} are
     * one dot, {@code ..}, {@code .%2e}, {@code %2e.} and {@code %2e%2e} two; a dot segment at the end leaves the
     * slash before it; empty segments stay.
     */
    static String withoutDotSegments(String path) {
        String[] segments = path.substring(1).split("/", -1);
        Deque<String> kept = new ArrayDeque<>();
        for (int i = 0; i < segments.length; i++) {
            String dots = segments[i].toLowerCase(Locale.ROOT).replace("%2e", ".");
            boolean last = i == segments.length - 1;
            if (dots.equals("..")) {
                kept.pollLast();
            } else if (!dots.equals(".")) {
                kept.addLast(segments[i]);
                continue;
            }
            if (last) {
                kept.addLast("");
            }
        }
        return "/" + String.join("/", kept);
    }
}
