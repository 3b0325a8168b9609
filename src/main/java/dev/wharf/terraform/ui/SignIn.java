package dev.wharf.terraform.ui;

import dev.wharf.http.CredentialThrottle;
import dev.wharf.http.access.Access;
import dev.wharf.http.ui.HtmlPages;
import dev.wharf.http.ui.NextPath;
import dev.wharf.http.ui.SessionCookie;
import dev.wharf.terraform.auth.ClientAuthentication;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * The UI's door when the API wants a token: the same {@link ClientAuthentication} check, fed from a
 * cookie that the sign-in form sets ({@link SessionCookie}: HttpOnly, SameSite=Strict, and over TLS
 * Secure and named {@code __Secure-wharf_ui_token}). A request without a token the check accepts gets the form,
 * whatever it asked for, pages and stylesheet alike.
 */
final class SignIn {
    static final String COOKIE = "wharf_ui_token";
    static final SessionCookie SESSION = new SessionCookie(COOKIE);

    private final ClientAuthentication auth;
    private final boolean oidc;

    /** @param oidc whether the form also offers the OIDC sign-in ({@link OidcSignIn}) */
    SignIn(ClientAuthentication auth, boolean oidc) {
        this.auth = auth;
        this.oidc = oidc;
    }

    boolean required() {
        return auth.enabled();
    }

    /**
     * Whether a request with these headers carries a token cookie that the API admits without
     * waiting (static tokens and the tokens file; an OIDC token is checked by the router). False
     * when it cannot tell so: the router then decides, as {@link #signedIn} does.
     */
    boolean signedInWithoutWaiting(java.util.function.Function<String, String> header, boolean secure) {
        if (!auth.enabled()) {
            return true;
        }
        return SESSION.value(header.apply("Cookie"), secure).map(token -> auth.admitsWithoutWaiting("Bearer " + token)).orElse(false);
    }

    /**
     * Whether the request carries a token cookie the API would accept; when its cookie is refused because
     * the token's issuer cannot be reached, the request is marked for the throttle to leave out.
     */
    boolean signedIn(Context ctx) {
        if (!auth.enabled()) {
            return true;
        }
        Optional<String> token = SESSION.value(ctx);
        if (token.isEmpty()) {
            return false;
        }
        Optional<Access> refusal = auth.refusal("Bearer " + token.get());
        refusal.ifPresent(refused -> CredentialThrottle.uncheckedIf(ctx, refused));
        return refusal.isEmpty();
    }

    /** The form, answering with {@code status}; after sign-in it leads back to {@code next}. */
    void form(Context ctx, int status, String next, Optional<String> error) {
        StringBuilder body = new StringBuilder("<h1>Sign in</h1>\n");
        error.ifPresent(e -> body.append("<p class=\"error\" role=\"alert\" id=\"sign-in-error\">").append(Html.text(e)).append("</p>\n"));
        body.append("<form method=\"post\" action=\"/ui/sign-in\">\n<input type=\"hidden\" name=\"next\" value=\"").append(Html.text(next))
                .append("\">\n<label for=\"token\">Registry token</label>\n<input type=\"password\" id=\"token\" name=\"token\" ")
                .append("autocomplete=\"current-password\" required")
                .append(error.isPresent() ? " aria-describedby=\"sign-in-error\"" : "").append(">\n<button type=\"submit\">Sign in</button>\n</form>\n")
                .append("<p>Use the token your terraform CLI configuration holds for this registry.</p>\n");
        if (oidc) {
            body.append("<p><a href=\"").append(OidcSignIn.START).append("?next=").append(Html.url(next))
                    .append("\">Sign in with your identity provider</a></p>\n");
        }
        plainPage(ctx, status, "Sign in", body.toString());
    }

    /** A page for someone not signed in: it links no asset, since every asset needs sign-in. */
    static void plainPage(Context ctx, int status, String title, String body) {
        // This page shows no README, so its one image may be the empty icon it names inline.
        ctx.header("Content-Security-Policy", RegistryUi.CSP.replace("img-src 'self'", "img-src data:"));
        HtmlPages.send(ctx, status, Html.page(title, body, false, false));
    }

    /**
     * Sets the session cookie for {@code token} and leads on to {@code next} from a page of this UI,
     * not by a redirect, so the SameSite=Strict cookie goes with the next request even when the
     * issuer's cross-site redirect led here.
     */
    void start(Context ctx, String token, String next) {
        SESSION.set(ctx, token);
        String target = safeNext(next);
        ctx.header("Content-Security-Policy", RegistryUi.CSP.replace("img-src 'self'", "img-src data:"));
        HtmlPages.send(ctx, 200, Html.page("Signed in", "<h1>Signed in</h1>\n<p><a href=\"" + Html.text(target) + "\">Continue</a></p>\n",
                false, false, Optional.of(target)));
    }

    /** The form's POST: a token the API accepts sets the cookie and leads on; any other gets the form again. */
    void submit(Context ctx) {
        String next = safeNext(ctx.formParam("next"));
        String token = ctx.formParam("token");
        Optional<Access> refusal = token == null || token.isBlank() ? Optional.of(Access.refused("no token"))
                : auth.refusal("Bearer " + token.strip());
        if (token == null || refusal.isPresent()) {
            refusal.ifPresent(refused -> CredentialThrottle.uncheckedIf(ctx, refused));
            form(ctx, 401, next, Optional.of("That token is not accepted here. Check it and try again."));
            return;
        }
        SESSION.set(ctx, token.strip());
        ctx.redirect(next, io.javalin.http.HttpStatus.SEE_OTHER);
    }

    void signOut(Context ctx) {
        SESSION.clear(ctx);
        ctx.redirect("/ui/sign-in", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /** Only a path of this UI: never another host or scheme (no open redirect). */
    static String safeNext(String next) {
        return NextPath.within(next, "/ui/");
    }

    static boolean secure(Context ctx) {
        return SessionCookie.secure(ctx);
    }
}
