package dev.wharf.terraform.discovery;

import java.util.Locale;
import java.util.Optional;

/**
 * Which modules a list or search asks for, and which page.
 *
 * @param text     words that must all occur in the namespace, name, provider or description (search)
 * @param verified only verified modules: Wharf verifies none, so such a query finds nothing
 */
public record ModuleQuery(Optional<String> namespace, Optional<String> name, Optional<String> provider, Optional<String> text,
                          boolean verified, int offset, int limit) {
    public static final int DEFAULT_LIMIT = 15;
    public static final int MAX_LIMIT = 100;

    public ModuleQuery {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more, not " + offset);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        text = text.map(t -> t.strip().toLowerCase(Locale.ROOT)).filter(t -> !t.isEmpty());
    }
}
