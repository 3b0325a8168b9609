package dev.wharf.terraform.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/** The API keys of {@code --auth-static-token}: a request is let in when its Bearer token is one of them. */
public final class StaticTokens {
    private final List<byte[]> tokens;

    private StaticTokens(List<byte[]> tokens) {
        this.tokens = tokens;
    }

    /** From the comma-separated flag values; blanks are dropped. */
    public static StaticTokens of(List<String> values) {
        List<byte[]> tokens = values.stream()
                .flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .map(String::trim)
                .filter(t -> !t.isEmpty())
                .map(t -> t.getBytes(StandardCharsets.UTF_8))
                .toList();
        return new StaticTokens(tokens);
    }

    public boolean enabled() {
        return !tokens.isEmpty();
    }

    /** Whether an {@code Authorization} header carries one of the tokens; compared in constant time. */
    public boolean accepts(String authorizationHeader) {
        if (authorizationHeader == null) {
            return false;
        }
        String value = authorizationHeader.trim();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = value.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] token : tokens) {
            match |= MessageDigest.isEqual(token, presented);
        }
        return match;
    }

    @Override
    public String toString() {
        return "StaticTokens[" + tokens.size() + " tokens]";
    }
}
