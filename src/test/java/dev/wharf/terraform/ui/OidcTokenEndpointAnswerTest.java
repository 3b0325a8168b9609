package dev.wharf.terraform.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.testing.OversizedAnswers;
import java.net.URI;
import java.net.http.HttpClient;
import org.junit.jupiter.api.Test;

/** An identity provider whose token answer is far larger than any is refused as it passes the limit, not read whole. */
class OidcTokenEndpointAnswerTest {
    @Test
    void aTokenAnswerPastTheLimitRefusesTheSignInAndIsCutOff() {
        try (OversizedAnswers issuer = OversizedAnswers.start(200, 256L << 20)) {
            OidcTokenEndpoint endpoint = new OidcTokenEndpoint(issuer.uri().resolve("/token"), "wharf", HttpClient.newHttpClient());
            assertThatThrownBy(() -> endpoint.idToken("code", URI.create("http://127.0.0.1/ui/sign-in/callback"), "verifier"))
                    .isInstanceOf(SignInRefused.class).hasMessage("the identity provider's token answer is larger than 262144 bytes");
            assertThat(issuer.sent()).isLessThan(64L << 20);
        }
    }
}
