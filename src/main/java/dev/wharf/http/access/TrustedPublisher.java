package dev.wharf.http.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.wharf.http.oidc.ClaimValues;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A CI pipeline allowed to publish with the OIDC token its platform gives each job (GitHub Actions,
 * GitLab CI, Buildkite, ...) instead of a secret kept in the CI: an entry of the tokens file's
 * {@code publishers:} list. A token is this publisher's when its issuer signed it for the audience,
 * and each listed claim holds a value one of the claim's globs matches ({@code *} any run of
 * characters, {@code ?} one); the entry's scopes are then the token's.
 *
 * @param claims claim name to the globs one of which its value must match
 */
public record TrustedPublisher(String name, URI issuer, String audience, Map<String, List<String>> claims, List<Scope> scopes) {
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");

    public TrustedPublisher {
        claims = Map.copyOf(claims);
        scopes = List.copyOf(scopes);
    }

    /** The first listed claim the token's claims do not satisfy, as words for the refusal; empty when they all are. */
    public Optional<String> mismatch(JWTClaimsSet token) {
        for (Map.Entry<String, List<String>> claim : claims.entrySet()) {
            List<String> values = ClaimValues.values(token.getClaim(claim.getKey()));
            boolean matched = values.stream().anyMatch(v -> claim.getValue().stream().anyMatch(glob -> Scope.matches(glob, v)));
            if (!matched) {
                return Optional.of(name + " wants " + claim.getKey() + " " + String.join(" or ", claim.getValue())
                        + (values.isEmpty() ? ", the token has none" : ", the token has " + String.join(", ", values)));
            }
        }
        return Optional.empty();
    }

    /**
     * One {@code publishers:} item, refused with the reason when it could let in more than its author
     * meant: no audience (a token the CI asked for another service would do), no claim narrowing the
     * issuer's tokens to a pipeline (every user of a public CI service has tokens of its issuer), or
     * an issuer reached over plain HTTP beyond this machine.
     */
    static TrustedPublisher parse(JsonNode item, String at, String name) {
        String where = at + "(" + name + ") ";
        URI issuer = issuer(item.path("issuer").asText("").trim(), where);
        String audience = item.path("audience").asText("").trim();
        if (audience.isEmpty()) {
            throw new IllegalArgumentException(where + "needs the audience its tokens are asked for, e.g. audience: https://registry.example.com"
                    + " (without one, a token the job obtained for any other service would do)");
        }
        JsonNode claimNodes = item.path("claims");
        if (!claimNodes.isObject() || claimNodes.isEmpty()) {
            throw new IllegalArgumentException(where + "needs claims that name the pipeline, e.g. claims: {repository: acme/infra, ref: refs/heads/main}"
                    + " (every user of the CI service can get tokens of its issuer)");
        }
        Map<String, List<String>> claims = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> claim : claimNodes.properties()) {
            claims.put(claim.getKey(), globs(claim.getKey(), claim.getValue(), where));
        }
        if (claims.values().stream().allMatch(globs -> globs.stream().allMatch(g -> g.chars().allMatch(c -> c == '*')))) {
            throw new IllegalArgumentException(where + "claims: at least one claim must name a value, not only '*'");
        }
        List<Scope> scopes = TokenEntry.scopes(item.path("scopes"), where);
        return new TrustedPublisher(name, issuer, audience, claims, scopes);
    }

    private static URI issuer(String text, String where) {
        URI issuer;
        try {
            issuer = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(where + "issuer '" + text + "' is not a URL");
        }
        String scheme = issuer.getScheme() == null ? "" : issuer.getScheme().toLowerCase(Locale.ROOT);
        if (issuer.getHost() == null || !(scheme.equals("https") || scheme.equals("http") && LOOPBACK.contains(issuer.getHost()))) {
            throw new IllegalArgumentException(where + "needs an https issuer URL, e.g. issuer: https://token.actions.githubusercontent.com"
                    + " (plain http only on this machine)");
        }
        return issuer;
    }

    private static List<String> globs(String claim, JsonNode value, String where) {
        List<String> globs = new ArrayList<>();
        if (value.isValueNode() && !value.isNull()) {
            globs.add(value.asText());
        } else if (value.isArray()) {
            value.forEach(v -> globs.add(v.isValueNode() && !v.isNull() ? v.asText() : ""));
        }
        if (globs.isEmpty() || globs.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException(where + "claim '" + claim + "' needs a value or a list of values");
        }
        return globs;
    }
}
