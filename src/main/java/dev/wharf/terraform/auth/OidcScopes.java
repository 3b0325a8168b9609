package dev.wharf.terraform.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.wharf.http.access.Scope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --auth-oidc-scopes-claim}: the scopes an OIDC token grants beyond reading. Each value of
 * the named claim (a string or a list, such as {@code groups}) is looked up in the mapping
 * ({@code --auth-oidc-scope-map platform=publish:acme/*}); a value that is itself a publish scope,
 * exactly so written ({@code publish:acme/*}), grants that scope. Other values grant nothing, and
 * {@code admin} comes only through the mapping.
 */
public record OidcScopes(Optional<String> claim, Map<String, List<Scope>> mapping) {
    public OidcScopes {
        mapping = Map.copyOf(mapping);
    }

    public static OidcScopes none() {
        return new OidcScopes(Optional.empty(), Map.of());
    }

    /** Parses {@code VALUE=SCOPE} pairs; one value may be given several times to grant several scopes. */
    public static OidcScopes of(Optional<String> claim, List<String> pairs) {
        Map<String, List<Scope>> mapping = new java.util.HashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new IllegalArgumentException("--auth-oidc-scope-map: '" + pair + "' is not CLAIM_VALUE=SCOPE");
            }
            mapping.computeIfAbsent(pair.substring(0, eq).trim(), k -> new ArrayList<>()).add(Scope.parse(pair.substring(eq + 1)));
        }
        if (claim.isEmpty() && !mapping.isEmpty()) {
            throw new IllegalArgumentException("--auth-oidc-scope-map needs --auth-oidc-scopes-claim");
        }
        return new OidcScopes(claim, mapping);
    }

    public boolean enabled() {
        return claim.isPresent();
    }

    /** Reading, which every valid OIDC token has always granted, and the scopes the claim maps to. */
    public List<Scope> granted(JWTClaimsSet claims) {
        List<Scope> scopes = new ArrayList<>(List.of(Scope.read()));
        if (claim.isEmpty()) {
            return scopes;
        }
        Object value = claims.getClaim(claim.get());
        Collection<?> values = value instanceof Collection<?> c ? c : value == null ? List.of() : List.of(value);
        for (Object v : values) {
            String text = String.valueOf(v);
            List<Scope> mapped = mapping.get(text);
            if (mapped != null) {
                scopes.addAll(mapped);
            } else {
                literal(text).ifPresent(scopes::add);
            }
        }
        return scopes;
    }

    /**
     * The scope a claim value grants by spelling it: {@code publish:GLOB} exactly so written. Never
     * {@code admin}, and not as {@link Scope#parse} reads a tokens file (trimmed, any case): identity
     * providers have groups called "Admin" or "admins" that an operator never meant as a scope, and
     * admin is granted only through the operator's own mapping.
     */
    private static Optional<Scope> literal(String value) {
        String prefix = "publish:";
        if (!value.startsWith(prefix)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Scope.publish(value.substring(prefix.length())));
        } catch (IllegalArgumentException notAGlob) {
            return Optional.empty();
        }
    }
}
