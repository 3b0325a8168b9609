package dev.wharf.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.wharf.testing.TestCertificates.SelfSigned;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A small OpenID Connect issuer for tests, on 127.0.0.1 with a random port: it serves a discovery
 * document and a JWKS, mints RS256 tokens with whatever claims a test needs, and rotates its key on
 * request. Tests hand its tokens to terraform through its CLI configuration; for a browser it also
 * runs the authorization code flow with PKCE: {@code /authorize} shows a page whose button signs the
 * visitor in as {@link #LOGIN_SUBJECT} (a form posted to {@code /approve}, so that the way back is
 * a navigation the issuer's page starts, as with a real password form) and sends the browser back
 * with a code; {@code /token} redeems
 * the code once, for the redirect URI and client it was issued to, only with the code verifier
 * whose S256 challenge {@code /authorize} saw, for an ID token carrying the nonce.
 */
public final class OidcIssuer implements AutoCloseable {
    /** Who {@code /authorize} signs in. */
    public static final String LOGIN_SUBJECT = "alice";

    private final HttpServer server;
    private final List<RSAKey> published = new ArrayList<>();
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private final AtomicInteger discoveryRequests = new AtomicInteger();
    private final Map<String, Map<String, String>> codes = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> awaitingApproval = new ConcurrentHashMap<>();
    private final List<Map<String, String>> authorizeRequests = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokenRefusals = new AtomicInteger();
    private volatile boolean tamperState;
    private volatile boolean jwksDown;
    private volatile boolean jwtAccessTokens;
    private volatile boolean wrongNonce;
    private RSAKey current;

    private final @Nullable SelfSigned certificate;

    private OidcIssuer(HttpServer server, @Nullable SelfSigned certificate) {
        this.server = server;
        this.certificate = certificate;
    }

    public static OidcIssuer start() {
        return start(0);
    }

    /** On {@code port}: an issuer that comes up where a server was told to find it (0: any free port). */
    public static OidcIssuer start(int port) {
        try {
            return serve(HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Over HTTPS, presenting {@code certificate} (a private CA's, as a self-managed GitLab's may be), on any free port. */
    public static OidcIssuer startTls(TestCertificates.SelfSigned certificate) {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
            return serve(server, certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static OidcIssuer serve(HttpServer server, @Nullable SelfSigned certificate) {
        OidcIssuer issuer = new OidcIssuer(server, certificate);
        issuer.rotate(false);
        server.createContext("/.well-known/openid-configuration", exchange -> {
            issuer.discoveryRequests.incrementAndGet();
            issuer.discovery(exchange);
        });
        server.createContext("/jwks", issuer::jwks);
        server.createContext("/authorize", issuer::authorize);
        server.createContext("/approve", issuer::approve);
        server.createContext("/token", issuer::token);
        server.start();
        return issuer;
    }

    public URI issuer() {
        return URI.create((server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort());
    }

    /** How often the discovery document has been fetched: tests use it to see that a server does not hammer the issuer. */
    public int discoveryRequests() {
        return discoveryRequests.get();
    }

    /** While true, {@code /token} issues access tokens that are JWTs for the client, as Keycloak does; opaque ones otherwise. */
    public void jwtAccessTokens(boolean jwt) {
        jwtAccessTokens = jwt;
    }

    /** While true, the JWKS endpoint answers 503, as an issuer in trouble does. */
    public void jwksDown(boolean down) {
        jwksDown = down;
    }

    /** How often the JWKS has been fetched: tests use it to see caching and refresh on rotation. */
    public int jwksRequests() {
        return jwksRequests.get();
    }

    /** A token from the current key for {@code audience}, valid for {@code lifetime} from now. */
    public String token(String subject, String audience, Duration lifetime) {
        Instant now = Instant.now();
        return sign(current, claims(subject, audience).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime))).build());
    }

    /** A token whose lifetime ended {@code ago}. */
    public String expiredToken(String subject, String audience, Duration ago) {
        Instant now = Instant.now();
        return sign(current, claims(subject, audience).issueTime(Date.from(now.minus(ago).minusSeconds(3600)))
                .expirationTime(Date.from(now.minus(ago))).build());
    }

    /** A token not valid before {@code later} from now. */
    public String futureToken(String subject, String audience, Duration later) {
        Instant now = Instant.now();
        return sign(current, claims(subject, audience).notBeforeTime(Date.from(now.plus(later)))
                .expirationTime(Date.from(now.plus(later).plusSeconds(3600))).build());
    }

    /** A token with the current key id and valid claims, but signed by a key the issuer never published. */
    public synchronized String forgedToken(String subject, String audience) {
        RSAKey stranger = generate(current.getKeyID());
        Instant now = Instant.now();
        return sign(stranger, claims(subject, audience).expirationTime(Date.from(now.plusSeconds(600))).build());
    }

    /** Any claims, signed with the current key. */
    public String sign(JWTClaimsSet claims) {
        return sign(current, claims);
    }

    /**
     * A new signing key; with {@code keepOld} the previous one stays in the JWKS (a graceful
     * rotation), otherwise it is withdrawn.
     */
    public synchronized void rotate(boolean keepOld) {
        RSAKey next = generate("key-" + UUID.randomUUID());
        if (!keepOld) {
            published.clear();
        }
        published.add(next);
        current = next;
    }

    /** The query of every {@code /authorize} request so far, decoded. */
    public List<Map<String, String>> authorizeRequests() {
        return List.copyOf(authorizeRequests);
    }

    /** How many {@code /token} requests were refused (wrong verifier, reused code, ...). */
    public int tokenRefusals() {
        return tokenRefusals.get();
    }

    /** From now on, {@code /authorize} sends back a state other than the one it was given. */
    public void tamperState(boolean tamper) {
        this.tamperState = tamper;
    }

    /** From now on, ID tokens carry a nonce other than the one {@code /authorize} was given. */
    public void wrongNonce(boolean wrong) {
        this.wrongNonce = wrong;
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        authorizeRequests.add(query);
        String redirect = query.get("redirect_uri");
        if (redirect == null || !"code".equals(query.get("response_type")) || query.get("client_id") == null
                || !"S256".equals(query.get("code_challenge_method")) || query.get("code_challenge") == null) {
            respond(exchange, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String request = UUID.randomUUID().toString();
        awaitingApproval.put(request, query);
        byte[] page = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Test issuer</title>"
                + "<link rel=\"icon\" href=\"data:,\"></head><body><h1>Test issuer</h1>"
                + "<form method=\"post\" action=\"/approve\"><input type=\"hidden\" name=\"request\" value=\"" + request + "\">"
                + "<button type=\"submit\" id=\"approve\">Sign in as " + LOGIN_SUBJECT + "</button></form></body></html>")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, page.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(page);
        }
    }

    private void approve(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Map<String, String> query = awaitingApproval.remove(String.valueOf(form.get("request")));
        if (!"POST".equals(exchange.getRequestMethod()) || query == null) {
            respond(exchange, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, query);
        String state = tamperState ? "forged-" + query.get("state") : query.get("state");
        exchange.getResponseHeaders().set("Location", query.get("redirect_uri") + "?code=" + enc(code) + "&state=" + enc(String.valueOf(state)));
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    /**
     * What a browser does at {@code authorizeUrl} (Wharf's redirect to {@code /authorize}): shows the
     * page, presses its button, and returns where the issuer then sends it (the callback with the code).
     */
    public String approveWithoutBrowser(String authorizeUrl) {
        HttpClient http = certificate == null ? HttpClient.newHttpClient()
                : HttpClient.newBuilder().sslContext(certificate.trustingContext()).build();
        try {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(authorizeUrl)).build(), HttpResponse.BodyHandlers.ofString());
            java.util.regex.Matcher request = java.util.regex.Pattern.compile("name=\"request\" value=\"([^\"]+)\"").matcher(page.body());
            if (page.statusCode() != 200 || !request.find()) {
                throw new IllegalStateException("/authorize answered " + page.statusCode() + ": " + page.body());
            }
            HttpResponse<String> approved = http.send(HttpRequest.newBuilder(issuer().resolve("/approve"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("request=" + enc(request.group(1)))).build(), HttpResponse.BodyHandlers.ofString());
            return approved.headers().firstValue("Location").orElseThrow(() -> new IllegalStateException("/approve answered "
                    + approved.statusCode() + " without a Location"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> request = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Map<String, String> issued = codes.remove(String.valueOf(request.get("code")));
        if (issued == null || !"authorization_code".equals(request.get("grant_type"))
                || !issued.get("redirect_uri").equals(request.get("redirect_uri")) || !issued.get("client_id").equals(request.get("client_id"))
                || request.get("code_verifier") == null || !issued.get("code_challenge").equals(s256(request.get("code_verifier")))) {
            tokenRefusals.incrementAndGet();
            respond(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"code, client, redirect_uri or code_verifier do not match\"}");
            return;
        }
        Instant now = Instant.now();
        String idToken = sign(current, claims(LOGIN_SUBJECT, issued.get("client_id")).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600))).claim("nonce", wrongNonce ? "not-" + issued.get("nonce") : issued.get("nonce"))
                .build());
        // Keycloak's and Azure AD's access tokens are JWTs for the client; many others' are opaque.
        String accessToken = jwtAccessTokens ? sign(current, claims(LOGIN_SUBJECT, issued.get("client_id")).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600))).build()) : "opaque-" + UUID.randomUUID();
        respond(exchange, 200, "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                + "\"id_token\":\"" + idToken + "\"}");
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> values = new HashMap<>();
        if (encoded != null && !encoded.isEmpty()) {
            for (String pair : encoded.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                values.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private JWTClaimsSet.Builder claims(String subject, String audience) {
        return new JWTClaimsSet.Builder().issuer(issuer().toString()).subject(subject).audience(audience);
    }

    private static synchronized String sign(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey generate(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private void discovery(HttpExchange exchange) throws IOException {
        String base = issuer().toString();
        respond(exchange, """
                {"issuer":"%s","authorization_endpoint":"%s/authorize","token_endpoint":"%s/token","jwks_uri":"%s/jwks",
                 "response_types_supported":["code"],"subject_types_supported":["public"],
                 "id_token_signing_alg_values_supported":["RS256"]}
                """.formatted(base, base, base, base));
    }

    private void jwks(HttpExchange exchange) throws IOException {
        jwksRequests.incrementAndGet();
        if (jwksDown) {
            respond(exchange, 503, "{\"error\":\"temporarily unavailable\"}");
            return;
        }
        String body;
        synchronized (this) {
            body = new JWKSet(published.stream().map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK()).toList()).toString();
        }
        respond(exchange, body);
    }

    private static void respond(HttpExchange exchange, String body) throws IOException {
        respond(exchange, 200, body);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
