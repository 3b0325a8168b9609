package dev.wharf.terraform.ui;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.wharf.terraform.auth.OidcVerifier;
import dev.wharf.terraform.auth.TokenRejectedException;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
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
 * own (SameSite=Lax, so that the issuer's redirect back brings it); the callback redeems the code
 * with the verifier, checks the ID token exactly as the API checks a bearer token plus its nonce,
 * and makes it the session cookie {@link SignIn} checks on every request.
 */
final class OidcSignIn {
    static final String PENDING_COOKIE = "wharf_ui_login";
    static final String START = "/ui/sign-in/oidc";
    static final String CALLBACK = "/ui/sign-in/callback";
    private static final String PENDING_PATH = "/ui/sign-in/";
    private static final int PENDING_SECONDS = 600;
    private static final Logger LOG = LoggerFactory.getLogger(OidcSignIn.class);

    private final OidcVerifier verifier;
    private final URI authorization;
    private final String clientId;
    private final List<String> scopes;
    private final OidcTokenEndpoint tokens;
    private final SignIn session;
    private final SecureRandom random = new SecureRandom();

    private OidcSignIn(OidcVerifier verifier, URI authorization, String clientId, OidcTokenEndpoint tokens, SignIn session) {
        this.verifier = verifier;
        this.authorization = authorization;
        this.clientId = clientId;
        Set<String> wanted = new LinkedHashSet<>(List.of("openid"));
        wanted.addAll(verifier.settings().scopes());
        this.scopes = List.copyOf(wanted);
        this.tokens = tokens;
        this.session = session;
    }

    /** Whether the issuer names both endpoints and a client id is configured; otherwise the UI offers the token form alone. */
    static boolean usable(Optional<OidcVerifier> oidc) {
        if (oidc.isEmpty()) {
            return false;
        }
        String clientId = oidc.get().settings().clientId();
        boolean usable = oidc.get().authorizationUrl() != null && oidc.get().metadata().tokenEndpoint() != null
                && clientId != null && !clientId.isBlank();
        if (!usable) {
            LOG.warn("UI sign-in through OIDC is off: it needs the issuer's authorization and token endpoints and --auth-oidc-clientid");
        }
        return usable;
    }

    /** The sign-in, when {@link #usable}. */
    static Optional<OidcSignIn> of(Optional<OidcVerifier> oidc, SignIn session, HttpClient http) {
        if (!usable(oidc)) {
            return Optional.empty();
        }
        OidcVerifier verifier = oidc.get();
        URI authorization = java.util.Objects.requireNonNull(verifier.authorizationUrl());
        URI tokenEndpoint = java.util.Objects.requireNonNull(verifier.metadata().tokenEndpoint());
        String clientId = java.util.Objects.requireNonNull(verifier.settings().clientId());
        return Optional.of(new OidcSignIn(verifier, authorization, clientId, new OidcTokenEndpoint(tokenEndpoint, clientId, http), session));
    }

    /** Off to the issuer, with a fresh state, nonce and code challenge remembered in the browser. */
    void begin(Context ctx) {
        PendingLogin pending = PendingLogin.start(ctx.queryParam("next"), random);
        ctx.cookie(new Cookie(PENDING_COOKIE, pending.cookieValue(), PENDING_PATH, PENDING_SECONDS, SignIn.secure(ctx), true, null, SameSite.LAX));
        String query = "response_type=code&client_id=" + enc(clientId) + "&redirect_uri=" + enc(redirectUri(ctx).toString())
                + "&scope=" + enc(String.join(" ", scopes)) + "&state=" + enc(pending.state()) + "&nonce=" + enc(pending.nonce())
                + "&code_challenge=" + enc(pending.challenge()) + "&code_challenge_method=S256";
        String base = authorization.toString();
        ctx.redirect(base + (base.contains("?") ? "&" : "?") + query, io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /** The issuer's redirect back: a session for a matching state and a valid ID token, a refusal page otherwise. */
    void callback(Context ctx) {
        Optional<PendingLogin> pending = PendingLogin.fromCookie(ctx.cookie(PENDING_COOKIE));
        // Whatever happens, this sign-in is over: its state and verifier are never used twice.
        ctx.cookie(new Cookie(PENDING_COOKIE, "", PENDING_PATH, 0, SignIn.secure(ctx), true, null, SameSite.LAX));
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
            String idToken = tokens.idToken(code, redirectUri(ctx), pending.get().verifier());
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
        return URI.create(ctx.scheme() + "://" + ctx.host() + CALLBACK);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
