package dev.wharf.http.access;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@code token create}: a fresh random token and the tokens-file entry that holds its hash, never the token. */
public record NewToken(String token, TokenEntry entry) {
    public static NewToken create(String name, List<String> scopes, Optional<Instant> expires) {
        if (name.isBlank() || !name.matches("[A-Za-z0-9][A-Za-z0-9._@:/-]*")) {
            throw new IllegalArgumentException("token name '" + name + "': letters, digits and . _ @ : / - (it names the token in audit logs)");
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("give at least one --scope: read, admin or publish:GLOB (e.g. publish:acme/*)");
        }
        List<Scope> parsed = scopes.stream().flatMap(s -> java.util.Arrays.stream(s.split(","))).filter(s -> !s.isBlank())
                .map(Scope::parse).toList();
        String token = TokenHash.newToken();
        return new NewToken(token, new TokenEntry(name, TokenHash.digest(token), parsed, expires));
    }

    /** What the command prints: the token alone on the first line, then the entry for the tokens file. */
    public String printed() {
        return token + "\n" + "# add under 'tokens:' in the tokens file; the line above is shown once and stored nowhere\n" + entry.yaml();
    }
}
