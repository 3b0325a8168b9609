package dev.wharf.oci.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 7235): a scheme ({@code basic},
 * {@code bearer}, lower-cased) and its parameters, keys lower-cased. Quoted values may hold commas
 * and escaped quotes ({@code scope="repository:a:pull,push"}).
 */
public record AuthChallenge(String scheme, Map<String, String> params) {
    public AuthChallenge {
        scheme = scheme.toLowerCase(Locale.ROOT);
        params = Map.copyOf(params);
    }

    public boolean isBearer() {
        return scheme.equals("bearer");
    }

    public boolean isBasic() {
        return scheme.equals("basic");
    }

    public Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name));
    }

    /** Every challenge in the header values; unknown syntax is skipped, never fatal. */
    public static List<AuthChallenge> parse(List<String> headerValues) {
        List<AuthChallenge> challenges = new ArrayList<>();
        for (String value : headerValues) {
            parseInto(value, challenges);
        }
        return challenges;
    }

    /** The challenge to follow: Bearer when offered, else Basic, else none. */
    public static Optional<AuthChallenge> preferred(List<String> headerValues) {
        List<AuthChallenge> all = parse(headerValues);
        return all.stream().filter(AuthChallenge::isBearer).findFirst()
                .or(() -> all.stream().filter(AuthChallenge::isBasic).findFirst());
    }

    private static void parseInto(String header, List<AuthChallenge> out) {
        int i = 0;
        int n = header.length();
        String scheme = null;
        Map<String, String> params = new LinkedHashMap<>();
        while (i < n) {
            while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == ',' || header.charAt(i) == '\t')) {
                i++;
            }
            int start = i;
            while (i < n && " \t,=".indexOf(header.charAt(i)) < 0) {
                i++;
            }
            if (start == i) {
                i++;
                continue;
            }
            String word = header.substring(start, i);
            int look = i;
            while (look < n && (header.charAt(look) == ' ' || header.charAt(look) == '\t')) {
                look++;
            }
            if (look < n && header.charAt(look) == '=' && scheme != null) {
                i = look + 1;
                while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == '\t')) {
                    i++;
                }
                StringBuilder value = new StringBuilder();
                if (i < n && header.charAt(i) == '"') {
                    i++;
                    while (i < n && header.charAt(i) != '"') {
                        char c = header.charAt(i);
                        if (c == '\\' && i + 1 < n) {
                            i++;
                            c = header.charAt(i);
                        }
                        value.append(c);
                        i++;
                    }
                    i++;
                } else {
                    while (i < n && header.charAt(i) != ',' && header.charAt(i) != ' ') {
                        value.append(header.charAt(i));
                        i++;
                    }
                }
                params.put(word.toLowerCase(Locale.ROOT), value.toString());
            } else {
                if (scheme != null) {
                    out.add(new AuthChallenge(scheme, params));
                    params = new LinkedHashMap<>();
                }
                scheme = word;
                // A token68 (Basic's form without parameters) is not used by registries; skip it.
            }
        }
        if (scheme != null) {
            out.add(new AuthChallenge(scheme, params));
        }
    }
}
