package dev.wharf.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/**
 * A small Docker token server (the protocol of distribution's {@code auth: token}) for tests. It
 * checks Basic credentials, or a refresh token in the OAuth2 POST form, and issues RS256 JWTs whose
 * {@code x5c} header carries the certificate written to {@link #rootCertBundle()}, which is what
 * distribution 2.8 verifies. Users may be limited to pull; every served token request is recorded
 * so tests can assert that clients cache tokens.
 */
public final class TokenServer implements AutoCloseable {
    public static final String SERVICE = "wharf-test-registry";
    public static final String ISSUER = "wharf-test-token-issuer";

    private final ObjectMapper json = new ObjectMapper();
    private final TestCertificates.SelfSigned signer = TestCertificates.rsaSigner("wharf test token signer");
    private final Map<String, String> passwords = new ConcurrentHashMap<>();
    private final Set<String> pullOnly = ConcurrentHashMap.newKeySet();
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    private final List<TokenRequest> served = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final HttpServer server;
    private final Path rootCertBundle;
    private volatile long expiresInSeconds = 300;
    private volatile boolean sendAccessTokenField = false;

    /** One request the server answered with a token (or refused). */
    public record TokenRequest(String method, String user, List<String> scopes, boolean granted) {
    }

    public TokenServer(Path dir) throws IOException {
        Files.createDirectories(dir);
        rootCertBundle = dir.resolve("token-root.pem");
        Files.writeString(rootCertBundle, signer.certificatePem());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public TokenServer user(String name, String password) {
        passwords.put(name, password);
        return this;
    }

    /** A user whose tokens grant pull but never push. */
    public TokenServer pullOnlyUser(String name, String password) {
        pullOnly.add(name);
        return user(name, password);
    }

    /** Registers an identity (refresh) token for {@code user}, as {@code docker login} would store. */
    public TokenServer identityToken(String user, String refreshToken) {
        refreshTokens.put(refreshToken, user);
        return this;
    }

    public TokenServer expiresIn(long seconds) {
        this.expiresInSeconds = seconds;
        return this;
    }

    /** Answer with {@code access_token} only (the OAuth2 name) instead of {@code token}. */
    public TokenServer oauthStyleAnswers(boolean on) {
        this.sendAccessTokenField = on;
        return this;
    }

    public String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    public String service() {
        return SERVICE;
    }

    public String issuer() {
        return ISSUER;
    }

    public Path rootCertBundle() {
        return rootCertBundle;
    }

    /** Every token request so far, granted or not. */
    public List<TokenRequest> requests() {
        return Collections.unmodifiableList(new ArrayList<>(served));
    }

    /** How many tokens were issued. */
    public long tokensIssued() {
        return served.stream().filter(TokenRequest::granted).count();
    }

    public void reset() {
        served.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, List<String>> params = new LinkedHashMap<>();
            parseForm(exchange.getRequestURI().getRawQuery(), params);
            String method = exchange.getRequestMethod();
            if ("POST".equals(method)) {
                parseForm(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), params);
            }
            List<String> scopes = params.getOrDefault("scope", List.of()).stream()
                    .flatMap(s -> List.of(s.split(" ")).stream()).filter(s -> !s.isBlank()).toList();
            String user = authenticate(exchange, method, params);
            if (user == null) {
                served.add(new TokenRequest(method, null, scopes, false));
                respond(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"invalid credentials\"}]}");
                return;
            }
            if (!SERVICE.equals(first(params, "service"))) {
                served.add(new TokenRequest(method, user, scopes, false));
                respond(exchange, 400, "{\"error\":\"unknown service\"}");
                return;
            }
            String token = sign(user, scopes);
            Map<String, Object> body = new LinkedHashMap<>();
            if (!sendAccessTokenField) {
                body.put("token", token);
            }
            body.put("access_token", token);
            body.put("expires_in", expiresInSeconds);
            body.put("issued_at", Instant.now().toString());
            boolean wantsRefresh = "true".equals(first(params, "offline_token"))
                    || "password".equals(first(params, "grant_type"));
            if (wantsRefresh && !user.isEmpty()) {
                String refresh = UUID.randomUUID().toString();
                refreshTokens.put(refresh, user);
                body.put("refresh_token", refresh);
            }
            served.add(new TokenRequest(method, user, scopes, true));
            respond(exchange, 200, json.writeValueAsString(body));
        } catch (RuntimeException | JOSEException | CertificateEncodingException e) {
            respond(exchange, 500, "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    /** The user name, "" for anonymous, or null when credentials were given and are wrong. */
    private String authenticate(HttpExchange exchange, String method, Map<String, List<String>> params) {
        if ("POST".equals(method)) {
            String grant = first(params, "grant_type");
            if ("refresh_token".equals(grant)) {
                return refreshTokens.get(first(params, "refresh_token"));
            }
            if ("password".equals(grant)) {
                String user = first(params, "username");
                String password = first(params, "password");
                return user != null && password != null && password.equals(passwords.get(user)) ? user : null;
            }
            return null;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null) {
            return "";
        }
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded = new String(java.util.Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        return password.equals(passwords.get(user)) ? user : null;
    }

    private String sign(String user, List<String> scopes) throws JOSEException, CertificateEncodingException {
        List<Map<String, Object>> access = new ArrayList<>();
        if (!user.isEmpty()) {
            for (String scope : scopes) {
                // type:name:actions, where the name may itself contain ':' (a host:port prefix).
                int first = scope.indexOf(':');
                int last = scope.lastIndexOf(':');
                if (first < 0 || last == first) {
                    continue;
                }
                String type = scope.substring(0, first);
                String name = scope.substring(first + 1, last);
                List<String> actions = new ArrayList<>(List.of(scope.substring(last + 1).split(",")));
                if (pullOnly.contains(user)) {
                    actions.retainAll(List.of("pull"));
                }
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("type", type);
                entry.put("name", name);
                entry.put("actions", actions);
                access.add(entry);
            }
        }
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(SERVICE)
                .subject(user)
                .issueTime(java.util.Date.from(now))
                .notBeforeTime(java.util.Date.from(now.minusSeconds(5)))
                .expirationTime(java.util.Date.from(now.plusSeconds(Math.max(expiresInSeconds, 1))))
                .jwtID(UUID.randomUUID().toString())
                .claim("access", access)
                .build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .type(com.nimbusds.jose.JOSEObjectType.JWT)
                .x509CertChain(List.of(Base64.encode(signer.certificate().getEncoded())))
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new RSASSASigner(signer.keyPair().getPrivate()));
        return jwt.serialize();
    }

    private static void parseForm(String raw, Map<String, List<String>> into) {
        if (raw == null || raw.isEmpty()) {
            return;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            into.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
    }

    private static String first(Map<String, List<String>> params, String key) {
        List<String> values = params.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    public URI uri() {
        return URI.create(realm());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
