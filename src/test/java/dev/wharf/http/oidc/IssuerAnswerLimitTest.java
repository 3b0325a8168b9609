package dev.wharf.http.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An issuer whose documents are larger than any issuer's are refused as they arrive, with the
 * reason, rather than read into memory whole: the discovery document at start, the JWKS when a
 * token needs it.
 */
class IssuerAnswerLimitTest {
    private static final int PAST_LIMIT = IssuerFetch.LIMIT + 1;

    HttpServer server;
    URI issuer;
    volatile int discoverySize;
    volatile int jwksSize;
    final AtomicInteger jwksBytesSent = new AtomicInteger();

    @BeforeEach
    void setUp() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        server.createContext("/.well-known/openid-configuration", exchange -> send(exchange,
                "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\"", "}", discoverySize, new AtomicInteger()));
        server.createContext("/jwks", exchange -> send(exchange, "{\"keys\":[]", "}", jwksSize, jwksBytesSent));
        server.start();
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
    }

    @Test
    void aJwksPastTheLimitRefusesTheTokenSayingWhyAndIsNotReadToItsEnd() throws Exception {
        jwksSize = 64 * IssuerFetch.LIMIT;
        IssuerTokens tokens = IssuerTokens.connect(issuer, Optional.of("wharf"), IssuerClient.trusting(Optional.empty()).get(), Clock.systemUTC(),
                Duration.ofSeconds(30));
        assertThatThrownBy(() -> tokens.verify(token()))
                .isInstanceOf(TokenRejectedException.class)
                .hasMessage("the issuer's signing keys cannot be fetched: " + issuer + "/jwks answered more than " + IssuerFetch.LIMIT
                        + " bytes, more than any OIDC document");
        // Cut off after the limit and what the sockets' buffers hold, not read to the end of its 64 MiB.
        assertThat(jwksBytesSent.get()).isLessThan(32 * IssuerFetch.LIMIT);
    }

    @Test
    void aDiscoveryDocumentPastTheLimitFailsTheStartAndOneAtTheLimitIsRead() {
        discoverySize = PAST_LIMIT;
        assertThatThrownBy(() -> IssuerTokens.connect(issuer, Optional.of("wharf"), IssuerClient.trusting(Optional.empty()).get(), Clock.systemUTC(),
                Duration.ofSeconds(30))).isInstanceOf(OidcException.class).isNotInstanceOf(IssuerUnreachableException.class)
                .hasMessageContaining("/.well-known/openid-configuration answered more than " + IssuerFetch.LIMIT + " bytes");
        discoverySize = IssuerFetch.LIMIT;
        assertThat(IssuerTokens.connect(issuer, Optional.of("wharf"), IssuerClient.trusting(Optional.empty()).get(), Clock.systemUTC(),
                Duration.ofSeconds(30)).metadata()).isPresent();
    }

    /**
     * A JSON object {@code size} bytes long (or just its content, if longer): spaces between its
     * content and its closing brace, written a piece at a time and counted, never held whole.
     */
    private static void send(HttpExchange exchange, String open, String close, int size, AtomicInteger sent) throws IOException {
        byte[] head = open.getBytes(StandardCharsets.UTF_8);
        byte[] tail = close.getBytes(StandardCharsets.UTF_8);
        long spaces = Math.max(0, (long) size - head.length - tail.length);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, head.length + spaces + tail.length);
        byte[] piece = " ".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(head);
            for (long left = spaces; left > 0; left -= piece.length) {
                int length = (int) Math.min(piece.length, left);
                out.write(piece, 0, length);
                sent.addAndGet(length);
            }
            out.write(tail);
        } catch (IOException cut) {
            // The client stopped reading: what the test wants.
        }
    }

    private String token() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), new JWTClaimsSet.Builder()
                .issuer(issuer.toString()).audience("wharf").subject("ci").expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
