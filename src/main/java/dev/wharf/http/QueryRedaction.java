package dev.wharf.http;

import java.util.List;
import java.util.Locale;

/**
 * A query string fit for a log: the value of every parameter whose name looks like it carries a
 * secret (Wharf's own {@code signature}, presigned storage URLs' {@code X-Amz-Signature},
 * {@code X-Goog-Credential}, tokens, passwords, keys, OAuth codes) becomes {@code REDACTED}. Names
 * are kept, so the log still shows that a URL was signed.
 */
public final class QueryRedaction {
    static final String REDACTED = "REDACTED";
    // Substrings, not a pattern: ".*(sig|…).*" let a name hide "sig" behind a line break ("." stops
    // there), and matched it by backtracking over every name of every logged query (4 % of
    // package-registry's CPU under /search load, bench/RESULTS.md, session 17).
    private static final List<String> SECRET_PARTS = List.of(
            "sig", "token", "pass", "secret", "key", "auth", "cred", "session", "code", "x-amz-", "x-goog-");

    private QueryRedaction() {
    }

    /** The query with secret values replaced; null stays null. */
    public static String redact(String query) {
        if (query == null || query.isEmpty()) {
            return query;
        }
        StringBuilder out = new StringBuilder(query.length());
        for (String part : query.split("&", -1)) {
            if (out.length() > 0) {
                out.append('&');
            }
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            if (eq >= 0 && isSecret(decoded(name))) {
                out.append(name).append('=').append(REDACTED);
            } else {
                out.append(part);
            }
        }
        return out.toString();
    }

    /** A URL (a {@code Referer}) with its query redacted as {@link #redact} does; null stays null. */
    public static String redactUrl(String url) {
        int question = url == null ? -1 : url.indexOf('?');
        if (question < 0) {
            return url;
        }
        int hash = url.indexOf('#', question);
        String query = hash < 0 ? url.substring(question + 1) : url.substring(question + 1, hash);
        return url.substring(0, question + 1) + redact(query) + (hash < 0 ? "" : url.substring(hash));
    }

    private static boolean isSecret(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String part : SECRET_PARTS) {
            if (lower.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /** The name as the server reads it, so {@code %73ignature} is caught too. */
    private static String decoded(String name) {
        try {
            return java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return name;
        }
    }
}
