package dev.wharf.terraform.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.terraform.web.StaticTokens;
import dev.wharf.testing.ManualClock;
import dev.wharf.testing.OidcIssuer;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What may be decided without waiting, and what must take the full check. */
class ClientAuthenticationTest {
    private final StaticTokens tokens = StaticTokens.of(List.of("tok"));

    @Test
    void withoutAuthenticationEveryoneIsAdmittedAtOnce() {
        ClientAuthentication open = ClientAuthentication.open();
        assertThat(open.admitsWithoutWaiting(null)).isTrue();
        assertThat(open.refusal(null)).isEmpty();
    }

    @Test
    void aStaticTokenIsDecidedAtOnceAndAnythingElseIsNotAdmitted() {
        ClientAuthentication auth = new ClientAuthentication(tokens::accepts, true, Optional.empty());
        assertThat(auth.admitsWithoutWaiting("Bearer tok")).isTrue();
        assertThat(auth.admitsWithoutWaiting("bearer  tok ")).isEqualTo(auth.refusal("bearer  tok ").isEmpty()).isTrue();
        for (String refused : new String[] {null, "", "Bearer", "Bearer nope", "Basic dG9rOg==", "tok"}) {
            assertThat(auth.admitsWithoutWaiting(refused)).as(String.valueOf(refused)).isFalse();
            assertThat(auth.refusal(refused)).as(String.valueOf(refused)).isPresent();
        }
    }

    /** An OIDC token's check may fetch the issuer's keys: it is never decided on a thread that must not wait. */
    @Test
    void anOidcTokenAlwaysTakesTheFullCheck() {
        try (OidcIssuer issuer = OidcIssuer.start()) {
            OidcVerifier verifier = OidcVerifier.connect(new OidcSettings(issuer.issuer(), "wharf", Optional.empty(), List.of("openid"),
                    Optional.empty(), OidcSettings.DEFAULT_KEY_REFRESH_COOLDOWN), HttpClient.newHttpClient(), new ManualClock(Instant.now()));
            ClientAuthentication auth = new ClientAuthentication(tokens::accepts, true, Optional.of(verifier));
            String header = "Bearer " + issuer.token("alice", "wharf", Duration.ofMinutes(5));

            assertThat(auth.refusal(header)).isEmpty();
            assertThat(auth.admitsWithoutWaiting(header)).isFalse();
            assertThat(auth.admitsWithoutWaiting("Bearer tok")).isTrue();
        }
    }
}
