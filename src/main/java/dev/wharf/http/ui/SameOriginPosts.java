package dev.wharf.http.ui;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Refuses a UI form post that another site's page sent: otherwise any page could sign a visitor in
 * with the attacker's token (login CSRF) or sign them out. The SameSite=Strict cookie does not stop
 * that (the sign-in post needs no cookie), nor does {@code form-action 'self'} (it binds the
 * attacker's page, not ours). Browsers say where a post came from: {@code Sec-Fetch-Site} first,
 * else {@code Origin}. A request with neither (an old browser, curl) is let through, since the
 * browsers that attackers can drive send at least {@code Origin} with every cross-site post.
 */
public final class SameOriginPosts {
    private SameOriginPosts() {
    }

    /** {@code post}, run only when the request came from a page of this same origin, or says nothing of where it came from. */
    public static Handler only(Handler post) {
        return ctx -> {
            Optional<String> refusal = refusal(ctx.header("Sec-Fetch-Site"), ctx.header("Origin"), ctx.req().getScheme(),
                    ctx.req().getServerName(), ctx.req().getServerPort());
            if (refusal.isPresent()) {
                refuse(ctx, refusal.get());
                return;
            }
            post.handle(ctx);
        };
    }

    /**
     * Why a post with these headers is refused, if it is. {@code scheme}, {@code host} and {@code port}
     * are this request's own origin as it was addressed (the Host header, and https when the server
     * itself does TLS).
     */
    static Optional<String> refusal(@Nullable String fetchSite, @Nullable String origin, String scheme, String host, int port) {
        if (fetchSite != null) {
            String site = fetchSite.strip().toLowerCase(Locale.ROOT);
            return site.equals("same-origin") || site.equals("none") ? Optional.empty()
                    : Optional.of("the browser says this form was sent from another site (Sec-Fetch-Site: " + fetchSite.strip() + ")");
        }
        if (origin == null) {
            return Optional.empty();
        }
        return sameOrigin(origin.strip(), scheme, host, port) ? Optional.empty()
                : Optional.of("the browser says this form was sent from another site (Origin: " + origin.strip() + ")");
    }

    private static boolean sameOrigin(String origin, String scheme, String host, int port) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return false;
        }
        // An origin is scheme://host[:port] and nothing else; "null" (a sandboxed or data: page) has no host at all.
        if (uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null || !uri.getRawPath().isEmpty()
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return false;
        }
        return uri.getScheme().equalsIgnoreCase(scheme) && bare(uri.getHost()).equalsIgnoreCase(bare(host))
                && (uri.getPort() == -1 ? defaultPort(uri.getScheme()) : uri.getPort()) == port;
    }

    /** An IPv6 address without its brackets, which one side may write and the other not. */
    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static int defaultPort(String scheme) {
        return scheme.equalsIgnoreCase("https") ? 443 : scheme.equalsIgnoreCase("http") ? 80 : -1;
    }

    private static void refuse(Context ctx, String why) {
        refusalPage(ctx, 403, "<p>This form was not sent from a page of this registry, so it was ignored: " + HtmlText.escape(why)
                + ".</p>\n<p>Nothing changed. To sign in or out, use <a href=\"/ui/\">this registry's own pages</a>.</p>");
    }

    /** A refused form post's page: {@code paragraphs}, HTML already escaped, under "Refused". */
    static void refusalPage(Context ctx, int status, String paragraphs) {
        // This page links nothing: its one image is the empty icon it names inline.
        ctx.header("Content-Security-Policy", PageSecurity.CSP.replace("img-src 'self'", "img-src data:"));
        HtmlPages.send(ctx, status, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Refused</title>\n"
                + "<link rel=\"icon\" href=\"data:,\">\n</head>\n<body>\n<main>\n<h1>Refused</h1>\n" + paragraphs + "\n</main>\n</body>\n</html>\n");
    }
}
