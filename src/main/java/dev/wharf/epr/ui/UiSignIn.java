package dev.wharf.epr.ui;

import dev.wharf.http.access.TokensFile;
import dev.wharf.http.ui.HtmlPages;
import dev.wharf.http.ui.NextPath;
import dev.wharf.http.ui.SessionCookie;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Optional;
import java.util.function.Function;

/**
 * The UI's door when {@code -auth-tokens-file} is set: any unexpired token of that file (read,
 * publish or admin) lets a person browse, fed from a cookie the sign-in form sets ({@link SessionCookie}:
 * HttpOnly, SameSite=Strict, and over TLS Secure and named {@code __Secure-wharf_epr_ui_token}). Without a token the
 * file accepts, every page and asset leads to the form.
 */
final class UiSignIn {
    /** Not the Terraform UI's name: cookies ignore ports, and both programs may share a host. */
    static final String COOKIE = "wharf_epr_ui_token";
    static final SessionCookie SESSION = new SessionCookie(COOKIE);
    static final String ROOT = "/ui/";

    private final Optional<TokensFile> tokens;

    UiSignIn(Optional<TokensFile> tokens) {
        this.tokens = tokens;
    }

    boolean required() {
        return tokens.isPresent();
    }

    boolean signedIn(Context ctx) {
        if (tokens.isEmpty()) {
            return true;
        }
        return SESSION.value(ctx).map(token -> tokens.get().check(token) instanceof TokensFile.Valid).orElse(false);
    }

    /**
     * {@link #signedIn} from the request's raw headers, before the router: the tokens file's check
     * works from memory (a look at the file's stamp, the list it already read), so it may run there.
     */
    boolean signedInWithoutWaiting(Function<String, String> header, boolean secure) {
        return tokens.isEmpty() || SESSION.value(header.apply("Cookie"), secure)
                .map(token -> tokens.get().check(token) instanceof TokensFile.Valid).orElse(false);
    }

    /** The form, answering with {@code status}; after sign-in it leads back to {@code next}. */
    void form(Context ctx, int status, String next, Optional<String> error) {
        StringBuilder body = new StringBuilder("<h1>Sign in</h1>\n");
        error.ifPresent(e -> body.append("<p class=\"error\" role=\"alert\" id=\"sign-in-error\">").append(UiPage.text(e)).append("</p>\n"));
        body.append("<form method=\"post\" action=\"/ui/sign-in\">\n<input type=\"hidden\" name=\"next\" value=\"").append(UiPage.text(next))
                .append("\">\n<label for=\"token\">Registry token</label>\n<input type=\"password\" id=\"token\" name=\"token\" ")
                .append("autocomplete=\"current-password\" required")
                .append(error.isPresent() ? " aria-describedby=\"sign-in-error\"" : "").append(">\n<button type=\"submit\">Sign in</button>\n</form>\n")
                .append("<p>Use a token of this registry's tokens file (one that <code>package-registry token create</code> made).</p>\n");
        // This page's one image is the empty icon it names inline.
        ctx.header("Content-Security-Policy", PackageUi.CSP.replace("img-src 'self'", "img-src data:"));
        HtmlPages.send(ctx, status, UiPage.page("Sign in", body.toString(), false, false));
    }

    void showForm(Context ctx) {
        if (!required()) {
            ctx.redirect(ROOT, HttpStatus.SEE_OTHER);
        } else {
            form(ctx, 200, NextPath.within(ctx.queryParam("next"), ROOT), Optional.empty());
        }
    }

    /** The form's POST: a token the file accepts sets the cookie and leads on; any other gets the form again. */
    void submit(Context ctx) {
        if (!required()) {
            ctx.redirect(ROOT, HttpStatus.SEE_OTHER);
            return;
        }
        String next = NextPath.within(ctx.formParam("next"), ROOT);
        String token = Optional.ofNullable(ctx.formParam("token")).map(String::strip).orElse("");
        TokensFile.Check check = token.isEmpty() ? new TokensFile.Unknown() : tokens.orElseThrow().check(token);
        if (check instanceof TokensFile.Expired) {
            form(ctx, 401, next, Optional.of("That token has expired. Ask for a new one."));
            return;
        }
        if (!(check instanceof TokensFile.Valid)) {
            form(ctx, 401, next, Optional.of("That token is not accepted here. Check it and try again."));
            return;
        }
        SESSION.set(ctx, token);
        ctx.redirect(next, HttpStatus.SEE_OTHER);
    }

    void signOut(Context ctx) {
        SESSION.clear(ctx);
        ctx.redirect(required() ? "/ui/sign-in" : ROOT, HttpStatus.SEE_OTHER);
    }
}
