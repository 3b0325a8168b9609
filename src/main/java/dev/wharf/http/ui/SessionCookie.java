package dev.wharf.http.ui;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A UI's session cookie: HttpOnly so no script reads it, SameSite=Strict so no other site sends it, Path=/ui/ so
 * the APIs never receive it, and over TLS (the server's own, or a trusted proxy's) Secure and named with the
 * {@code __Secure-} prefix. A browser lets only a secure page set a cookie of that name, so a page on plain http
 * (any machine in the path can answer one for the host) cannot plant its own session there: a token of the
 * attacker's, or an empty one that signs the visitor out. {@code __Host-} would say more (no Domain, this host
 * only) but demands Path=/, which would send the token to the API with every request; {@code __Secure-} keeps the
 * path. Over TLS only the prefixed name is read, over http only the plain one, so sign-in, every page and sign-out
 * agree on one name.
 *
 * <p>The OIDC sign-in's pending login (its state, nonce and PKCE verifier) is a session of the same kind, with
 * its own path, lifetime and SameSite=Lax (the issuer's cross-site redirect back must bring it): planted from
 * plain http, it would finish a sign-in the attacker began, into the attacker's account.
 *
 * @param name          the cookie's name over plain http
 * @param path          where the browser sends it
 * @param maxAgeSeconds how long it lives; -1 for the browser session
 * @param sameSite      which cross-site requests bring it
 */
public record SessionCookie(String name, String path, int maxAgeSeconds, SameSite sameSite) {
    public static final String SECURE_PREFIX = "__Secure-";
    private static final String UI_PATH = "/ui/";

    /** A UI's sign-in session: every page under /ui/, for the browser session, never sent from another site. */
    public SessionCookie(String name) {
        this(name, UI_PATH, -1, SameSite.STRICT);
    }

    /** Whether the request came over TLS, as the client sent it (a trusted proxy's X-Forwarded-Proto applied). */
    public static boolean secure(Context ctx) {
        return secureScheme(ctx.scheme());
    }

    /** The same from the request's scheme, for checks that run before the router: the one rule for both. */
    public static boolean secureScheme(@Nullable String scheme) {
        return "https".equalsIgnoreCase(scheme);
    }

    /** The cookie's name on a request that came over TLS ({@code secure}) or not. */
    public String nameFor(boolean secure) {
        return secure ? SECURE_PREFIX + name : name;
    }

    /** The session this request carries, decoded; empty when there is none. */
    public Optional<String> value(Context ctx) {
        return CookieHeader.decoded(ctx.cookie(nameFor(secure(ctx))));
    }

    /** The same from a raw {@code Cookie} header, for checks that run before the router. */
    public Optional<String> value(@Nullable String cookieHeader, boolean secure) {
        return CookieHeader.value(cookieHeader, nameFor(secure));
    }

    /**
     * Whether a request to {@code requestPath} over {@code scheme} carries this cookie where and as it is read: under
     * its path, by the name for that scheme. A cookie of the other name (left from the other scheme, or planted) or on
     * another path (the APIs never read it) is no credential, so the credential throttle neither counts nor stops it.
     */
    public boolean presentIn(@Nullable String cookieHeader, @Nullable String scheme, String requestPath) {
        return requestPath.startsWith(path) && value(cookieHeader, secureScheme(scheme)).isPresent();
    }

    /** Starts a session holding {@code value}. */
    public void set(Context ctx, String value) {
        boolean secure = secure(ctx);
        ctx.cookie(new Cookie(nameFor(secure), HtmlText.url(value), path, maxAgeSeconds, secure, true, null, sameSite));
    }

    /** Ends the session: the same name, path and attributes, expired. */
    public void clear(Context ctx) {
        boolean secure = secure(ctx);
        ctx.cookie(new Cookie(nameFor(secure), "", path, 0, secure, true, null, sameSite));
    }
}
