package dev.wharf.cli.boring;

import dev.wharf.http.access.TokensFile;
import dev.wharf.http.access.TrustedPublishers;
import dev.wharf.http.oidc.IssuerClient;
import dev.wharf.terraform.auth.OidcScopes;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** {@code server}'s flags for scoped tokens and publishing over HTTP. */
public final class PublishOptions {
    @Option(names = "--auth-tokens-file", paramLabel = "FILE",
            description = "YAML file of named, hashed tokens with scopes (read, publish:GLOB, admin) and optional expiry, as"
                    + " 'token create' prints them, and trusted CI publishers (OIDC issuer, audience, claims, scopes); re-read when it"
                    + " changes (BORING_REGISTRY_AUTH_TOKENS_FILE)")
    @Nullable Path tokensFile;

    @Option(names = "--auth-oidc-scopes-claim", paramLabel = "CLAIM",
            description = "OIDC claim (e.g. groups) whose values grant scopes: through --auth-oidc-scope-map, or a value that is"
                    + " itself a publish scope (publish:GLOB); admin only through the map (BORING_REGISTRY_AUTH_OIDC_SCOPES_CLAIM)")
    @Nullable String oidcScopesClaim;

    @Option(names = "--auth-oidc-scope-map", split = ",", paramLabel = "VALUE=SCOPE",
            description = "Comma-separated claim value to scope pairs, e.g. platform=publish:acme/* (BORING_REGISTRY_AUTH_OIDC_SCOPE_MAP)")
    List<String> oidcScopeMap = new ArrayList<>();

    @Option(names = "--publish-max-size", paramLabel = "BYTES", defaultValue = "2147483648",
            description = "Largest body a publish over HTTP may send, in bytes; larger ones get 413"
                    + " (BORING_REGISTRY_PUBLISH_MAX_SIZE; default ${DEFAULT-VALUE})")
    long maxBodyBytes = 2147483648L;

    boolean hasTokensFile() {
        return tokensFile != null;
    }

    /**
     * @param issuers asks the trusted publishers' issuers. An empty name is refused: read as no file it
     *     would open the API that the file closes ('--auth-tokens-file "$FILE"' with the variable unset).
     */
    Optional<TokensFile> tokens(IssuerClient issuers) {
        if (tokensFile == null) {
            return Optional.empty();
        }
        if (tokensFile.toString().isBlank()) {
            throw new IllegalArgumentException("--auth-tokens-file was given without a file; name it, or leave the flag out");
        }
        return Optional.of(new TokensFile(tokensFile, Clock.systemUTC(), new TrustedPublishers(issuers, Clock.systemUTC())));
    }

    OidcScopes oidcScopes() {
        return OidcScopes.of(Optional.ofNullable(oidcScopesClaim).filter(c -> !c.isBlank()), oidcScopeMap);
    }
}
