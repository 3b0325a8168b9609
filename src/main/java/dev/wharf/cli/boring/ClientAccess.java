package dev.wharf.cli.boring;

import dev.wharf.http.oidc.IssuerClient;
import dev.wharf.terraform.auth.ClientAuthentication;
import dev.wharf.terraform.auth.LoginV1;
import dev.wharf.terraform.auth.OidcVerifier;
import dev.wharf.terraform.web.FileUrlSigner;
import dev.wharf.terraform.web.StaticTokens;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;

/** Who may use the registry (static tokens, OIDC, scoped tokens), what login.v1 advertises, and how file URLs are signed. */
record ClientAccess(ClientAuthentication auth, boolean oidc, Supplier<Optional<LoginV1>> login, FileUrlSigner signer) {

    /** Connects to the OIDC issuer when one is configured; a flag it refuses throws before anything is served. */
    static ClientAccess connect(List<String> staticTokens, FileUrlSigner signer, OidcOptions oidc, PublishOptions publish,
                                CommandLine commandLine) {
        StaticTokens tokens = StaticTokens.of(staticTokens);
        // Each value is kept as written (StaticTokens splits the commas), so '' or ',' from the flag or its
        // variable is a value that names no token; an empty variable is unset and gives none.
        if (!staticTokens.isEmpty() && !tokens.enabled()) {
            // boring-registry then accepts no token at all; serving everyone instead would fail open on a
            // '--auth-static-token "$TOKEN"' whose variable was never set.
            throw new CommandLine.ParameterException(commandLine, "--auth-static-token was given without a token (empty or only commas); "
                    + "give at least one, or leave the flag out for an open registry");
        }
        IssuerClient issuers = oidc.issuerClient(oidc.enabled() || publish.hasTokensFile());
        Optional<OidcVerifier> verifier = oidc.connect(issuers);
        ClientAuthentication auth = new ClientAuthentication(tokens::accepts, tokens.enabled(), verifier, publish.tokens(issuers),
                publish.oidcScopes());
        Supplier<Optional<LoginV1>> login = verifier.isPresent() ? oidc.login(verifier.get()) : Optional::empty;
        return new ClientAccess(auth, verifier.isPresent(), login, signer);
    }

    /**
     * Why the OIDC issuer has not answered yet, when it has not. Asking this asks the issuer again when that is due, so a
     * health probe notices its return even while no token comes.
     */
    Optional<String> issuerUnreachable() {
        return auth.oidc().flatMap(verifier -> {
            verifier.metadata();
            return Optional.of(verifier.unreachable()).filter(why -> !why.isEmpty());
        });
    }

    /** The end of the start line: whether the API asks for a token, and of which kinds. */
    String startNote() {
        return auth.enabled() ? "; API requires a token" + (oidc ? " (static or OIDC)" : "") : "";
    }
}
