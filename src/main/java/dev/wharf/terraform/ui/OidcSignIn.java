package dev.wharf.terraform.ui;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.wharf.http.oidc.OidcProviderMetadata;
import dev.wharf.http.oidc.TokenRejectedException;
import dev.wharf.http.ui.RequestOrigin;
import dev.wharf.http.ui.SessionCookie;
import dev.wharf.terraform.auth.OidcVerifier;
import io.javalin.http.Context;
import io.javalin.http.SameSite;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UI's sign-in through the OIDC issuer the API trusts: the authorization code flow with PKCE
 * (S256), {@code state} and {@code nonce}. The pending sign-in waits in a short-lived cookie of its
 * own (SameSite=Lax, so that the issuer's redirect back brings it; over TLS Secure and named
 * {@code __Secure-wharf_ui_login}, as the session cookie is, by {@link SessionCookie}'s rules); the callback redeems the code
 * with the verifier, checks the ID token exactly as the API checks a bearer token plus its nonce,
 * and makes it the session cookie {@link SignIn} checks on every request.
 */
final class OidcSignIn {
    static final String PENDING_COOKIE = "wharf_ui_login";
    static final String START = "/ui/sign-in/oidc";
    static final String CALLBACK = "/ui/sign-in/callback";
    private static final SessionCookie PENDING = new SessionCookie(PENDING_COOKIE, "/ui/sign-in/", 600, SameSite.LAX);
    private static final Logger LOG = LoggerFactory.getLogger(OidcSignIn.class);

    private final OidcVerifier verifier;
    private final String clientId;
    private final List<String> scopes;
    private final HttpClient http;
    private final SignIn session;
    private final SecureRandom random = new SecureRandom();

    private OidcSignIn(OidcVerifier verifier, String clientId, HttpClient http, SignIn session) {
        this.verifier = verifier;
        this.clientId = clientId;
        Set<String> wanted = new LinkedHashSet<>(List.of("openid"));
        wanted.addAll(verifier.settings().scopes());
        this.scopes = List.copyOf(wanted);
        this.http = http;
        this.session = session;
    }

    /**
     * Whether a client id is configured and the issuer, when it has answered, names both endpoints; otherwise the UI offers
     * the token form alone. An issuer that has not answered yet is asked when someone signs in.
     */
    static boolean usable(Optional<OidcVerifier> oidc) {
        if (oidc.isEmpty()) {
            return false;
        }
        String clientId = oidc.get().settings().clientId();
        Optional<OidcProviderMetadata> metadata = oidc.get().metadata();
        boolean usable = clientId != null && !clientId.isBlank()
                && (metadata.isEmpty() || endpoints(oidc.get(), metadata.get()).isPresent());
        if (!usable) {
            LOG.warn("UI sign-in through OIDC is off: it needs the issuer's authorization and token endpoints and --auth-oidc-clientid");
        }
        return usable;
    }

    /** The sign-in, when {@link #usable}. */
    static Optional<OidcSignIn> of(Optional<OidcVerifier> oidc, SignIn session) {
        if (!usable(oidc)) {
            return Optional.empty();
        }
        OidcVerifier verifier = oidc.get();
        return Optional.of(new OidcSignIn(verifier, java.util.Objects.requireNonNull(verifier.settings().clientId()), verifier.issuerClient(), session));
    }

    /** Off to the issuer, with a fresh state, nonce and code challenge remembered in the browser. */
    void begin(Context ctx) {
        Optional<Endpoints> endpoints = verifier.awaitMetadata().flatMap(metadata -> endpoints(verifier, metadata));
        if (endpoints.isEmpty()) {
            unavailable(ctx, SignIn.safeNext(ctx.queryParam("next")));
            return;
        }
        PendingLogin pending = PendingLogin.start(ctx.queryParam("next"), random);
        PENDING.set(ctx, pending.cookieValue());
        String query = "response_type=code&client_id=" + enc(clientId) + "&redirect_uri=" + enc(redirectUri(ctx).toString())
                + "&scope=" + enc(String.join(" ", scopes)) + "&state=" + enc(pending.state()) + "&nonce=" + enc(pending.nonce())
                + "&code_challenge=" + enc(pending.challenge()) + "&code_challenge_method=S256";
        String base = endpoints.get().authorization().toString();
        ctx.redirect(base + (base.contains("?") ? "&" : "?") + query, io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /** The issuer has not answered (or names no endpoints): say so, and offer the token form, which needs no issuer. */
    private void unavailable(Context ctx, String next) {
        String unreachable = verifier.unreachable();
        String why = unreachable.isEmpty() ? "the identity provider names no authorization or token endpoint" : unreachable;
        LOG.info("UI sign-in through OIDC not started: {}", why);
        ctx.header("Retry-After", "10");
        SignIn.plainPage(ctx, 503, "Sign-in unavailable", "<h1>Sign-in unavailable</h1>\n<p class=\"error\" role=\"alert\">"
                + "The identity provider cannot be used now: " + Html.text(why) + ".</p>\n<p><a href=\"" + START + "?next="
                + Html.url(next) + "\">Try again</a> or <a href=\"/ui/sign-in?next=" + Html.url(next) + "\">sign in with a token</a></p>\n");
    }

    private static Optional<Endpoints> endpoints(OidcVerifier verifier, OidcProviderMetadata metadata) {
        URI authorization = verifier.authorizationUrl(metadata);
        URI token = metadata.tokenEndpoint();
        return authorization == null || token == null ? Optional.empty() : Optional.of(new Endpoints(authorization, token));
    }

    /** Where the browser is sent to sign in, and where the code it brings back is redeemed. */
    private record Endpoints(URI authorization, URI token) {
    }

    /** The issuer's redirect back: a session for a matching state and a valid ID token, a refusal page otherwise. */
    void callback(Context ctx) {
        Optional<PendingLogin> pending = PENDING.value(ctx).flatMap(PendingLogin::fromCookie);
        // Whatever happens, this sign-in is over: its state and verifier are never used twice.
        PENDING.clear(ctx);
        try {
            if (pending.isEmpty()) {
                throw new SignInRefused("no sign-in was started in this browser, or it took longer than ten minutes");
            }
            if (!pending.get().matches(ctx.queryParam("state"))) {
                throw new SignInRefused("the answer's state is not the one this sign-in sent (a forged or stale link)");
            }
            String error = ctx.queryParam("error");
            if (error != null) {
                String description = ctx.queryParam("error_description");
                throw new SignInRefused("the identity provider said " + error + (description == null ? "" : ": " + description));
            }
            String code = ctx.queryParam("code");
            if (code == null || code.isEmpty()) {
                throw new SignInRefused("the identity provider's answer holds no code");
            }
            URI tokenEndpoint = verifier.metadata().flatMap(metadata -> endpoints(verifier, metadata))
                    .orElseThrow(() -> new SignInRefused("the identity provider names no token endpoint")).token();
            String idToken = new OidcTokenEndpoint(tokenEndpoint, clientId, http).idToken(code, redirectUri(ctx), pending.get().verifier());
            check(idToken, pending.get().nonce());
            session.start(ctx, idToken, pending.get().next());
        } catch (SignInRefused e) {
            LOG.info("UI sign-in refused: {}", e.getMessage());
            SignIn.plainPage(ctx, 400, "Sign-in refused", "<h1>Sign-in refused</h1>\n<p class=\"error\" role=\"alert\">"
                    + Html.text(String.valueOf(e.getMessage())) + "</p>\n<p><a href=\"" + START + "?next=%2Fui%2F\">Sign in again</a></p>\n");
        }
    }

    private void check(String idToken, String nonce) {
        JWTClaimsSet claims;
        try {
            claims = verifier.verify(idToken);
        } catch (TokenRejectedException e) {
            throw new SignInRefused("the ID token is not accepted: " + e.getMessage(), e);
        }
        String carried;
        try {
            carried = claims.getStringClaim("nonce");
        } catch (ParseException e) {
            carried = null;
        }
        if (carried == null || !java.security.MessageDigest.isEqual(carried.getBytes(StandardCharsets.UTF_8), nonce.getBytes(StandardCharsets.UTF_8))) {
            throw new SignInRefused("the ID token's nonce is not the one this sign-in sent (a replayed token)");
        }
    }

    /** Where the issuer sends the browser back: this UI's callback on the host and scheme the browser used. */
    private static URI redirectUri(Context ctx) {
        return URI.create(RequestOrigin.of(ctx.req()) + CALLBACK);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
