package dev.wharf.terraform.publish;

import dev.wharf.http.CredentialThrottle;
import dev.wharf.http.access.Access;
import dev.wharf.terraform.auth.ClientAuthentication;
import io.javalin.http.Context;

/** Who asks the publish API's routes: only scoped tokens may, and a token that proves nobody is refused as Bearer asks. */
final class PublishCallers {
    static final String NEEDS_SCOPES = "publishing over HTTP needs scoped tokens: start the server with --auth-tokens-file"
            + " (or --auth-oidc-scopes-claim)";

    private PublishCallers() {
    }

    /**
     * The request's token as {@code auth} reads it. When it proves nobody, the answer is readied for a
     * 401: {@code WWW-Authenticate: Bearer}, and a token an unreachable issuer could not check kept out
     * of the failed-credential count.
     */
    static Access identify(ClientAuthentication auth, Context ctx) {
        Access access = auth.identify(ctx.header("Authorization"));
        if (access.caller() == null) {
            CredentialThrottle.uncheckedIf(ctx, access);
            ctx.header("WWW-Authenticate", "Bearer");
        }
        return access;
    }
}
