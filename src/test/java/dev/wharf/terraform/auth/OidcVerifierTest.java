package dev.wharf.terraform.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import dev.wharf.http.oidc.IssuerDiscovery;
import dev.wharf.http.oidc.OidcException;
import dev.wharf.http.oidc.OidcProviderMetadata;
import dev.wharf.http.oidc.TokenRejectedException;
import dev.wharf.testing.LogCapture;
import dev.wharf.testing.ManualClock;
import dev.wharf.testing.OidcIssuer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OidcVerifierTest {
    private static final String CLIENT = "wharf";
    private final HttpClient http = HttpClient.newHttpClient();
    private final ManualClock clock = new ManualClock(Instant.now());
    private OidcIssuer issuer;
    private OidcVerifier verifier;

    @BeforeEach
    void start() {
        issuer = OidcIssuer.start();
        verifier = OidcVerifier.connect(settings(issuer.issuer(), Optional.empty()), http, clock);
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    @Test
    void aValidTokenIsAcceptedAndTheKeysAreFetchedOnce() {
        JWTClaimsSet claims = verifier.verify(issuer.token("alice", CLIENT, Duration.ofMinutes(5)));
        verifier.verify(issuer.token("bob", CLIENT, Duration.ofMinutes(5)));

        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(issuer.jwksRequests()).isEqualTo(1);
        OidcProviderMetadata metadata = verifier.metadata().orElseThrow();
        assertThat(verifier.authorizationUrl(metadata)).isEqualTo(URI.create(issuer.issuer() + "/authorize"));
        assertThat(metadata.tokenEndpoint()).isEqualTo(URI.create(issuer.issuer() + "/token"));
    }

    @Test
    void anExpiredTokenIsRefusedAndTheMessageDoesNotRepeatIt() {
        String token = issuer.expiredToken("alice", CLIENT, Duration.ofMinutes(5));
        assertThatThrownBy(() -> verifier.verify(token))
                .isInstanceOf(TokenRejectedException.class)
                .hasMessageContaining("Expired")
                .message().doesNotContain(token).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
    }

    @Test
    void aTokenNotYetValidIsRefused() {
        assertThatThrownBy(() -> verifier.verify(issuer.futureToken("alice", CLIENT, Duration.ofMinutes(10))))
                .isInstanceOf(TokenRejectedException.class)
                .hasMessageContaining("before use time");
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        assertThatThrownBy(() -> verifier.verify(issuer.token("alice", "someone-else", Duration.ofMinutes(5))))
                .isInstanceOf(TokenRejectedException.class)
                .hasMessageContaining("audience");
    }

    @Test
    void theConfiguredAudienceReplacesTheClientId() {
        OidcVerifier withAudience = OidcVerifier.connect(settings(issuer.issuer(), Optional.of("api://wharf")), http, clock);
        assertThat(withAudience.verify(issuer.token("alice", "api://wharf", Duration.ofMinutes(5))).getSubject()).isEqualTo("alice");
        assertThatThrownBy(() -> withAudience.verify(issuer.token("alice", CLIENT, Duration.ofMinutes(5))))
                .isInstanceOf(TokenRejectedException.class);
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() {
        String token = issuer.sign(new JWTClaimsSet.Builder().issuer("https://evil.example.test").subject("alice")
                .audience(CLIENT).expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
        assertThatThrownBy(() -> verifier.verify(token))
                .isInstanceOf(TokenRejectedException.class)
                .hasMessageContaining("iss");
    }

    @Test
    void aTokenWithoutExpiryIsRefused() {
        String token = issuer.sign(new JWTClaimsSet.Builder().issuer(issuer.issuer().toString()).subject("alice")
                .audience(CLIENT).build());
        assertThatThrownBy(() -> verifier.verify(token))
                .isInstanceOf(TokenRejectedException.class)
                .hasMessageContaining("exp");
    }

    @Test
    void aTokenSignedByAnUnpublishedKeyIsRefused() {
        assertThatThrownBy(() -> verifier.verify(issuer.forgedToken("mallory", CLIENT)))
                .isInstanceOf(TokenRejectedException.class)
                .hasMessageContaining("signature");
    }

    @Test
    void garbageIsRefusedAsNotAJwt() {
        assertThatThrownBy(() -> verifier.verify("not-a-jwt"))
                .isInstanceOf(TokenRejectedException.class)
                .hasMessageStartingWith("the bearer token is not a JWT (an opaque access token cannot be checked");
    }

    @Test
    void afterARotationTheKeysAreFetchedAgainOnceTheCooldownHasPassed() {
        verifier.verify(issuer.token("alice", CLIENT, Duration.ofMinutes(5)));
        String oldKeyToken = issuer.token("alice", CLIENT, Duration.ofMinutes(5));
        issuer.rotate(false);
        String newKeyToken = issuer.token("alice", CLIENT, Duration.ofMinutes(5));

        // Within the cooldown an unknown key id does not send Wharf to the issuer again.
        assertThatThrownBy(() -> verifier.verify(newKeyToken)).isInstanceOf(TokenRejectedException.class);
        assertThat(issuer.jwksRequests()).isEqualTo(1);

        clock.advance(OidcSettings.DEFAULT_KEY_REFRESH_COOLDOWN.plusSeconds(1));
        assertThat(verifier.verify(newKeyToken).getSubject()).isEqualTo("alice");
        assertThat(issuer.jwksRequests()).isEqualTo(2);
        // The withdrawn key no longer verifies anything.
        assertThatThrownBy(() -> verifier.verify(oldKeyToken)).isInstanceOf(TokenRejectedException.class);
    }

    @Test
    void aGracefulRotationKeepsOldTokensValid() {
        String oldKeyToken = issuer.token("alice", CLIENT, Duration.ofMinutes(5));
        verifier.verify(oldKeyToken);
        issuer.rotate(true);
        clock.advance(Duration.ofMinutes(1));

        assertThat(verifier.verify(issuer.token("bob", CLIENT, Duration.ofMinutes(5))).getSubject()).isEqualTo("bob");
        assertThat(verifier.verify(oldKeyToken).getSubject()).isEqualTo("alice");
    }

    @Test
    void anIssuerDownAtConnectIsAskedAgainAfterTheRetryIntervalAndItsTokensAreRefusedMeanwhile() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // It had failed here, and so the server's start, with "cannot be reached".
        OidcVerifier late;
        try (LogCapture log = LogCapture.of(IssuerDiscovery.class.getName())) {
            late = OidcVerifier.connect(settings(URI.create("http://127.0.0.1:" + port), Optional.empty()), http, clock);
            assertThatThrownBy(() -> late.verify("a.b.c")).hasMessageContaining("cannot be reached");
            assertThat(log.lines(Level.WARN)).singleElement().asString().endsWith(" the OIDC issuer at http://127.0.0.1:" + port
                    + " cannot be reached: connection refused; OIDC tokens are refused until the issuer answers, and it is asked again"
                    + " at most every 10 s");
        }
        assertThat(late.metadata()).isEmpty();
        assertThat(late.unreachable()).contains("127.0.0.1:" + port).contains("cannot be reached");
        try (OidcIssuer issuer = OidcIssuer.start(port)) {
            String token = issuer.token("alice", CLIENT, Duration.ofMinutes(5));
            // Asked less than the retry interval ago: refused at once, saying why, and the issuer is not asked.
            assertThatThrownBy(() -> late.verify(token))
                    .isInstanceOf(TokenRejectedException.class)
                    .hasMessageContaining("cannot be checked now")
                    .hasMessageContaining("127.0.0.1:" + port);
            assertThat(issuer.discoveryRequests()).isZero();

            clock.advance(IssuerDiscovery.RETRY.plusSeconds(1));
            assertThat(late.verify(token).getSubject()).isEqualTo("alice");
            assertThat(late.metadata()).map(OidcProviderMetadata::tokenEndpoint).contains(URI.create(issuer.issuer() + "/token"));
            assertThat(late.unreachable()).isEmpty();
            assertThat(issuer.discoveryRequests()).isEqualTo(1);
        }
    }

    @Test
    void keysThatCannotBeFetchedAreAskedForAgainOnlyAfterTheRetryIntervalNotForEachToken() {
        issuer.jwksDown(true);
        String token = issuer.token("alice", CLIENT, Duration.ofMinutes(5));
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> verifier.verify(token))
                    .isInstanceOf(TokenRejectedException.class)
                    .hasMessageContaining("signing keys cannot be fetched")
                    .hasMessageContaining("answered HTTP 503");
        }
        // It had asked the issuer once per token, each request waiting in turn on it.
        assertThat(issuer.jwksRequests()).isEqualTo(1);

        issuer.jwksDown(false);
        assertThatThrownBy(() -> verifier.verify(token)).hasMessageContaining("answered HTTP 503");
        clock.advance(IssuerDiscovery.RETRY.plusSeconds(1));
        assertThat(verifier.verify(token).getSubject()).isEqualTo("alice");
        assertThat(issuer.jwksRequests()).isEqualTo(2);
    }

    @Test
    void anIssuerAnswering503AtConnectIsAnOutageAndOneAnswering404IsAWrongSetting() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int[] status = {503};
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(status[0], -1);
            exchange.close();
        });
        server.start();
        try {
            URI address = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            OidcVerifier down = OidcVerifier.connect(settings(address, Optional.empty()), http, clock);
            assertThat(down.unreachable()).contains("answered HTTP 503");
            status[0] = 404;
            assertThatThrownBy(() -> OidcVerifier.connect(settings(address, Optional.empty()), http, clock))
                    .isInstanceOf(OidcException.class)
                    .hasMessageContaining("answered HTTP 404");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aDiscoveryDocumentNamingAnotherIssuerIsRefused() {
        URI aliased = URI.create(issuer.issuer().toString().replace("127.0.0.1", "localhost"));
        assertThatThrownBy(() -> OidcVerifier.connect(settings(aliased, Optional.empty()), http, clock))
                .isInstanceOf(OidcException.class)
                .hasMessageContaining("not the configured");
    }

    private static OidcSettings settings(URI issuer, Optional<String> audience) {
        return new OidcSettings(issuer, CLIENT, audience, List.of("openid"), Optional.empty(),
                OidcSettings.DEFAULT_KEY_REFRESH_COOLDOWN);
    }
}
