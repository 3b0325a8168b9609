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

/**
 * A small OpenID Connect issuer for tests, on 127.0.0.1 with a random port: it serves a discovery
 * document and a JWKS, mints RS256 tokens with whatever claims a test needs, and rotates its key on
 * request. It implements no login flow: tests hand tokens to terraform through its CLI configuration.
 */
public final class OidcIssuer implements AutoCloseable {
    private final HttpServer server;
    private final List<RSAKey> published = new ArrayList<>();
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private RSAKey current;

    private OidcIssuer(HttpServer server) {
        this.server = server;
    }

    public static OidcIssuer start() {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            OidcIssuer issuer = new OidcIssuer(server);
            issuer.rotate(false);
            server.createContext("/.well-known/openid-configuration", issuer::discovery);
            server.createContext("/jwks", issuer::jwks);
            server.start();
            return issuer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI issuer() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
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
        String body;
        synchronized (this) {
            body = new JWKSet(published.stream().map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK()).toList()).toString();
        }
        respond(exchange, body);
    }

    private static void respond(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
