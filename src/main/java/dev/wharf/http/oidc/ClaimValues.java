package dev.wharf.http.oidc;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * How a claim of a token is compared with a configured value. A claim may be a string, a list (such
 * as {@code groups}) or a number or boolean: a list carries a value when one of its items does, and a
 * number or boolean carries the value it prints as.
 */
public final class ClaimValues {
    private ClaimValues() {
    }

    /** Whether the claim is, or holds, exactly {@code value}. */
    public static boolean carries(Object claim, String value) {
        return values(claim).contains(value);
    }

    /** The values a claim holds, as text: none for a missing claim, each item of a list. */
    public static List<String> values(Object claim) {
        if (claim instanceof Collection<?> items) {
            return items.stream().filter(Objects::nonNull).map(String::valueOf).toList();
        }
        return claim == null ? List.of() : List.of(String.valueOf(claim));
    }
}
