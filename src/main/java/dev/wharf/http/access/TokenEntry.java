package dev.wharf.http.access;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One entry of the tokens file: a name, the token's hash, its scopes and an optional expiry. */
public record TokenEntry(String name, byte[] hash, List<Scope> scopes, Optional<Instant> expires) {
    public TokenEntry {
        hash = hash.clone();
        scopes = List.copyOf(scopes);
    }

    /** An entry's {@code scopes:}, a non-empty list; {@code where} names the entry in the refusal. */
    static List<Scope> scopes(JsonNode scopeNodes, String where) {
        if (!scopeNodes.isArray() || scopeNodes.isEmpty()) {
            throw new IllegalArgumentException(where + "needs a list of scopes, e.g. [\"publish:acme/*\"]");
        }
        List<Scope> scopes = new ArrayList<>();
        for (JsonNode s : scopeNodes) {
            try {
                scopes.add(Scope.parse(s.asText("")));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage());
            }
        }
        return scopes;
    }

    public boolean expiredAt(Instant now) {
        return expires.isPresent() && !now.isBefore(expires.get());
    }

    /** The YAML of this entry as it goes into the tokens file (a list item under {@code tokens:}). */
    public String yaml() {
        StringBuilder out = new StringBuilder();
        out.append("  - name: ").append(name).append('\n');
        out.append("    hash: ").append(TokenHash.PREFIX).append(java.util.HexFormat.of().formatHex(hash)).append('\n');
        out.append("    scopes: [");
        for (int i = 0; i < scopes.size(); i++) {
            out.append(i == 0 ? "" : ", ").append('"').append(scopes.get(i)).append('"');
        }
        out.append("]\n");
        expires.ifPresent(e -> out.append("    expires: ").append(e).append('\n'));
        return out.toString();
    }
}
