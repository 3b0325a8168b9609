package dev.wharf.terraform.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.wharf.http.access.Access;
import dev.wharf.http.access.Caller;
import dev.wharf.http.access.Scope;
import dev.wharf.http.access.TokensFile;
import dev.wharf.http.oidc.TokenRejectedException;
import dev.wharf.http.oidc.TokenUncheckedException;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Who may use the registry APIs: holders of a token from the tokens file ({@code --auth-tokens-file},
 * its scopes), CI jobs of its trusted publishers (their OIDC tokens, the publisher's scopes), holders
 * of a static token ({@code --auth-static-token}, reading only) or of a valid OIDC token
 * ({@code --auth-oidc-*}, reading and the scopes its claim maps to), each checked in turn. With none configured, everyone may read and nobody may publish.
 */
public final class ClientAuthentication {
    private static final Caller STATIC = new Caller("static-token", List.of(Scope.read()));

    private final Predicate<String> staticTokens;
    private final boolean staticTokensEnabled;
    private final Optional<OidcVerifier> oidc;
    private final Optional<TokensFile> tokensFile;
    private final OidcScopes oidcScopes;

    /**
     * @param staticTokens whether an {@code Authorization} header carries one of the static tokens
     * @param staticTokensEnabled whether any static token is configured
     */
    public ClientAuthentication(Predicate<String> staticTokens, boolean staticTokensEnabled, Optional<OidcVerifier> oidc) {
        this(staticTokens, staticTokensEnabled, oidc, Optional.empty(), OidcScopes.none());
    }

    public ClientAuthentication(Predicate<String> staticTokens, boolean staticTokensEnabled, Optional<OidcVerifier> oidc,
            Optional<TokensFile> tokensFile, OidcScopes oidcScopes) {
        this.staticTokens = staticTokens;
        this.staticTokensEnabled = staticTokensEnabled;
        this.oidc = oidc;
        this.tokensFile = tokensFile;
        this.oidcScopes = oidcScopes;
    }

    public static ClientAuthentication open() {
        return new ClientAuthentication(h -> false, false, Optional.empty());
    }

    public boolean enabled() {
        return staticTokensEnabled || oidc.isPresent() || tokensFile.isPresent();
    }

    /** Whether any token can carry more than reading: only then is publishing over HTTP possible. */
    public boolean scopedTokens() {
        return tokensFile.isPresent() || oidc.isPresent() && oidcScopes.enabled();
    }

    public Optional<OidcVerifier> oidc() {
        return oidc;
    }

    /**
     * Whether a request with this header may read, told without waiting: true only when no
     * authentication is configured or the header carries a static token or a tokens-file token that
     * may read. An OIDC token is never admitted here: its check may fetch the issuer's keys.
     */
    public boolean admitsWithoutWaiting(@Nullable String authorizationHeader) {
        if (!enabled()) {
            return true;
        }
        if (staticTokensEnabled && authorizationHeader != null && staticTokens.test(authorizationHeader)) {
            return true;
        }
        Optional<String> token = Access.bearer(authorizationHeader);
        return tokensFile.isPresent() && token.isPresent()
                && tokensFile.get().check(token.get()) instanceof TokensFile.Valid valid && valid.caller().mayRead();
    }

    /**
     * Empty when the request may read; otherwise the refused access: why not, in words fit for the client
     * (never the token), and whether the token was left unchecked for an issuer that cannot be reached.
     */
    public Optional<Access> refusal(@Nullable String authorizationHeader) {
        if (!enabled()) {
            return Optional.empty();
        }
        Access access = identify(authorizationHeader);
        Caller caller = access.caller();
        if (caller == null) {
            return Optional.of(access);
        }
        return caller.mayRead() ? Optional.empty()
                : Optional.of(Access.refused("the token '" + caller.name() + "' may publish but not read (it lacks the read scope)", caller.name()));
    }

    /** Who the header says the caller is, whatever they may do; refused when it proves nobody. */
    public Access identify(@Nullable String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return Access.refused("authentication required: send 'Authorization: Bearer <token>'"
                    + " (a credentials block for this host in the terraform CLI configuration, or terraform login)");
        }
        Optional<String> token = Access.bearer(authorizationHeader);
        if (token.isEmpty()) {
            return Access.refused("the Authorization header must carry a Bearer token");
        }
        String publisherRefusal = "";
        String claimant = Access.NOBODY;
        // A trusted publisher's issuer that cannot be reached might have let the token in.
        boolean unchecked = false;
        if (tokensFile.isPresent()) {
            TokensFile.Check check = tokensFile.get().identify(token.get());
            if (check instanceof TokensFile.Valid valid) {
                return Access.granted(valid.caller());
            }
            if (check instanceof TokensFile.Expired expired) {
                return Access.refused("the token '" + expired.name() + "' expired at " + expired.at(), expired.name());
            }
            if (check instanceof TokensFile.Refused refused) {
                // The issuer may also be --auth-oidc-issuer's, whose tokens are checked next: say this only when that fails too.
                publisherRefusal = refused.why();
                claimant = Access.claimant(refused);
                unchecked = refused.unchecked();
            }
        }
        if (staticTokensEnabled && staticTokens.test(authorizationHeader)) {
            return Access.granted(STATIC);
        }
        if (oidc.isEmpty()) {
            return Access.refused(publisherRefusal.isEmpty() ? "invalid token" : "invalid token: " + publisherRefusal, claimant, unchecked);
        }
        try {
            JWTClaimsSet claims = oidc.get().verify(token.get());
            String subject = claims.getSubject() == null ? "unknown" : claims.getSubject();
            return Access.granted(new Caller("oidc:" + subject, oidcScopes.granted(claims)));
        } catch (TokenRejectedException e) {
            return Access.refused("invalid token: " + (publisherRefusal.isEmpty() ? e.getMessage() : publisherRefusal), claimant,
                    unchecked || e instanceof TokenUncheckedException);
        }
    }
}
