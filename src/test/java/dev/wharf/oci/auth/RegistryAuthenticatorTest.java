package dev.wharf.oci.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.testing.ManualClock;
import dev.wharf.testing.TokenServer;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token caching and expiry against the test token server, with a clock the test moves. */
class RegistryAuthenticatorTest {
    @TempDir
    Path tmp;

    private static List<String> challenge(TokenServer tokens) {
        return List.of("Bearer realm=\"" + tokens.realm() + "\",service=\"" + tokens.service() + "\"");
    }

    @Test
    void tokensAreCachedPerScopeUntilShortlyBeforeTheyExpire() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
        try (TokenServer tokens = new TokenServer(tmp).user("u", "p").expiresIn(100)) {
            RegistryAuthenticator auth = new RegistryAuthenticator("r.example",
                    CredentialSource.fixed(new Credentials.Basic("u", "p"), "test"),
                    new TokenExchange(HttpClient.newHttpClient(), clock, Duration.ofSeconds(10)), clock);
            assertThat(auth.learn(challenge(tokens))).isTrue();
            List<String> pull = List.of("repository:a:pull");
            List<String> push = List.of("repository:a:pull,push");

            String first = auth.authorization(pull).orElseThrow();
            assertThat(auth.authorization(pull)).contains(first);
            auth.authorization(push);
            assertThat(tokens.tokensIssued()).isEqualTo(2);

            clock.advance(Duration.ofSeconds(85));
            assertThat(auth.authorization(pull)).contains(first);
            assertThat(tokens.tokensIssued()).isEqualTo(2);
            clock.advance(Duration.ofSeconds(6)); // 91 s: inside the 10 s margin before expiry
            assertThat(auth.authorization(pull)).isPresent().isNotEqualTo(Optional.of(first));
            assertThat(tokens.tokensIssued()).isEqualTo(3);
        }
    }

    @Test
    void tokensAreKeptForABoundedNumberOfScopes() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
        try (TokenServer tokens = new TokenServer(tmp).user("u", "p").expiresIn(3600)) {
            RegistryAuthenticator auth = new RegistryAuthenticator("r.example",
                    CredentialSource.fixed(new Credentials.Basic("u", "p"), "test"),
                    new TokenExchange(HttpClient.newHttpClient(), clock, Duration.ofSeconds(10)), clock, 10);
            assertThat(auth.learn(challenge(tokens))).isTrue();
            // Made-up names, as clients may ask for: each its own repository and scope.
            for (int i = 0; i < 50; i++) {
                auth.authorization(List.of("repository:made-up/" + i + ":pull"));
            }
            assertThat(tokens.tokensIssued()).isEqualTo(50);
            for (int i = 0; i < 50; i++) {
                auth.authorization(List.of("repository:made-up/" + i + ":pull"));
            }
            // At most ten were kept: every other scope needed a token again.
            assertThat(tokens.tokensIssued()).isGreaterThanOrEqualTo(90);
        }
    }

    @Test
    void aRefusedCachedTokenIsDroppedAndFetchedAgainOnce() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
        try (TokenServer tokens = new TokenServer(tmp).user("u", "p")) {
            RegistryAuthenticator auth = new RegistryAuthenticator("r.example",
                    CredentialSource.fixed(new Credentials.Basic("u", "p"), "test"),
                    new TokenExchange(HttpClient.newHttpClient(), clock, Duration.ofSeconds(10)), clock);
            auth.learn(challenge(tokens));
            List<String> scope = List.of("repository:a:pull");
            Optional<String> sent = auth.authorization(scope);
            assertThat(auth.retryAfterUnauthorized(challenge(tokens), scope, sent)).isTrue();
            Optional<String> fresh = auth.authorization(scope);
            assertThat(fresh).isNotEqualTo(sent);
            assertThat(tokens.tokensIssued()).isEqualTo(2);
            // The fresh token refused too: nothing more to try.
            assertThat(auth.retryAfterUnauthorized(challenge(tokens), scope, Optional.of("Bearer something-else"))).isFalse();
        }
    }

    @Test
    void acceptsAnOauthStyleAccessTokenAnswer() throws Exception {
        Clock clock = Clock.systemUTC();
        try (TokenServer tokens = new TokenServer(tmp).user("u", "p").oauthStyleAnswers(true)) {
            RegistryAuthenticator auth = new RegistryAuthenticator("r.example",
                    CredentialSource.fixed(new Credentials.Basic("u", "p"), "test"),
                    new TokenExchange(HttpClient.newHttpClient(), clock, Duration.ofSeconds(10)), clock);
            auth.learn(challenge(tokens));
            assertThat(auth.authorization(List.of("repository:a:pull"))).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer ey"));
        }
    }

    @Test
    void withoutABearerChallengeAStaticTokenIsSentAsIs() {
        Clock clock = Clock.systemUTC();
        RegistryAuthenticator auth = new RegistryAuthenticator("r.example",
                CredentialSource.fixed(new Credentials.Token("static"), "test"),
                new TokenExchange(HttpClient.newHttpClient(), clock, Duration.ofSeconds(1)), clock);
        assertThat(auth.authorization(List.of("repository:a:pull"))).contains("Bearer static");
        auth.learn(List.of("Basic realm=\"r\""));
        assertThat(auth.authorization(List.of("repository:a:pull"))).contains("Bearer static");
        RegistryAuthenticator basic = new RegistryAuthenticator("r.example",
                CredentialSource.fixed(new Credentials.Basic("u", "p"), "test"),
                new TokenExchange(HttpClient.newHttpClient(), clock, Duration.ofSeconds(1)), clock);
        assertThat(basic.authorization(List.of())).isEmpty();
        basic.learn(List.of("Basic realm=\"r\""));
        assertThat(basic.authorization(List.of())).contains("Basic dTpw");
    }

    @Test
    void aTokenServiceThatFailsIsForgottenAndNothingIsSentUntilTheRegistryChallengesAgain() throws Exception {
        Clock clock = Clock.systemUTC();
        RegistryAuthenticator auth = new RegistryAuthenticator("r.example",
                CredentialSource.fixed(new Credentials.Token("identity-token"), "test"),
                new TokenExchange(HttpClient.newHttpClient(), clock, Duration.ofSeconds(5)), clock);
        List<String> gone;
        try (TokenServer tokens = new TokenServer(tmp)) {
            gone = challenge(tokens);
        }
        assertThat(auth.learn(gone)).isTrue();
        assertThatThrownBy(() -> auth.authorization(List.of("repository:a:pull"))).isInstanceOf(TokenServerFailure.class)
                .hasMessageStartingWith("cannot reach the token server");
        assertThat(auth.challenge()).isEmpty();
        // Not the identity token as a Bearer token: it is meant for the token service, not the registry.
        assertThat(auth.authorization(List.of("repository:a:pull"))).isEmpty();
        assertThat(auth.learn(gone)).as("the same challenge, learned again").isTrue();
    }
}
