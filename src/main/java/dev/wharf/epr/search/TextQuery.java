package dev.wharf.epr.search;

import dev.wharf.epr.model.PackageDocument;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Words typed into a search box, matched against a package's name, title and description: every
 * word must occur in one of them, case aside. EPR's {@code /search} has no text parameter; this is
 * what a person browsing needs on top of its filters ({@link PackageSearch}).
 */
public record TextQuery(List<String> words) {
    public static final TextQuery ANY = new TextQuery(List.of());

    public TextQuery {
        words = List.copyOf(words);
    }

    public static TextQuery of(String text) {
        return new TextQuery(Arrays.stream(text.toLowerCase(Locale.ROOT).strip().split("\\s+")).filter(w -> !w.isEmpty()).toList());
    }

    public boolean isEmpty() {
        return words.isEmpty();
    }

    public boolean matches(PackageDocument d) {
        if (words.isEmpty()) {
            return true;
        }
        String haystack = (d.name + "\n" + Objects.requireNonNullElse(d.title, "") + "\n" + d.description).toLowerCase(Locale.ROOT);
        return words.stream().allMatch(haystack::contains);
    }
}
