package dev.wharf.terraform.ui;

import dev.wharf.terraform.auth.ClientAuthentication;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The UI's door when the API wants a token: the same {@link ClientAuthentication} check, fed from a
 * cookie that the sign-in form sets (HttpOnly so no script reads it, SameSite=Strict so no other
 * site sends it, Secure over TLS). A request without a token the check accepts gets the form,
 * whatever it asked for, pages and stylesheet alike.
 */
final class SignIn {
    static final String COOKIE = "wharf_ui_token";

    private final ClientAuthentication auth;

    SignIn(ClientAuthentication auth) {
        this.auth = auth;
    }

    boolean required() {
        return auth.enabled();
    }

    /** Whether the request carries a token cookie the API would accept. */
    boolean signedIn(Context ctx) {
        if (!auth.enabled()) {
            return true;
        }
        String cookie = ctx.cookie(COOKIE);
        if (cookie == null || cookie.isEmpty()) {
            return false;
        }
        return auth.refusal("Bearer " + URLDecoder.decode(cookie, StandardCharsets.UTF_8)).isEmpty();
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
        // This page shows no README, so its one image may be the empty icon it names inline.
        ctx.header("Content-Security-Policy", RegistryUi.CSP.replace("img-src 'self'", "img-src data:"));
        ctx.status(status).html(Html.page("Sign in", body.toString(), false, false));
    }

    /** The form's POST: a token the API accepts sets the cookie and leads on; any other gets the form again. */
    void submit(Context ctx) {
        String next = safeNext(ctx.formParam("next"));
        String token = ctx.formParam("token");
        if (token == null || token.isBlank() || auth.refusal("Bearer " + token.strip()).isPresent()) {
            form(ctx, 401, next, Optional.of("That token is not accepted here. Check it and try again."));
            return;
        }
        Cookie cookie = new Cookie(COOKIE, Html.url(token.strip()), "/ui/", -1, secure(ctx), true, null, SameSite.STRICT);
        ctx.cookie(cookie);
        ctx.redirect(next, io.javalin.http.HttpStatus.SEE_OTHER);
    }

    void signOut(Context ctx) {
        ctx.cookie(new Cookie(COOKIE, "", "/ui/", 0, secure(ctx), true, null, SameSite.STRICT));
        ctx.redirect("/ui/sign-in", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /** Only a path of this UI: never another host or scheme (no open redirect). */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/ui/") || next.startsWith("//") || next.contains("\\") || next.chars().anyMatch(c -> c < 0x20)) {
            return "/ui/";
        }
        return next;
    }

    private static boolean secure(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme());
    }
}
