package dev.wharf.terraform.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.http.oidc.IssuerDiscovery;
import dev.wharf.testing.ManualClock;
import dev.wharf.testing.OidcIssuer;
import dev.wharf.testing.TestPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** login.v1 for an issuer that was down when the server started. */
class LoginAdvertTest {
    private final ManualClock clock = new ManualClock(Instant.now());
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anIssuerDownAtStartHasNoLoginUntilItAnswersThenItsEndpoints() {
        int port = TestPorts.free();
        URI address = URI.create("http://127.0.0.1:" + port);
        OidcVerifier verifier = OidcVerifier.connect(settings(address), http, clock);
        LoginAdvert login = LoginAdvert.of(verifier, flags(null, null));
        assertThat(login.get()).isEmpty();
        try (OidcIssuer issuer = OidcIssuer.start(port)) {
            assertThat(login.get()).isEmpty();
            assertThat(issuer.discoveryRequests()).isZero();
            clock.advance(IssuerDiscovery.RETRY.plusSeconds(1));
            // The discovery answer does not wait for the issuer: the first one after the interval only asks it.
            login.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (login.get().isEmpty() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            LoginV1 advertised = login.get().orElseThrow();
            assertThat(advertised.authz()).isEqualTo(address + "/authorize");
            assertThat(advertised.token()).isEqualTo(address + "/token");
            assertThat(advertised.client()).isEqualTo("wharf-cli");
            assertThat(issuer.discoveryRequests()).isEqualTo(1);
        }
    }

    @Test
    void flagsNamingBothEndpointsAdvertiseLoginWhileTheIssuerIsDown() {
        OidcVerifier verifier = OidcVerifier.connect(settings(URI.create("http://127.0.0.1:" + TestPorts.free())), http, clock);
        LoginAdvert login = LoginAdvert.of(verifier, flags("https://idp.example/authorize", "https://idp.example/token"));
        assertThat(login.get()).map(LoginV1::token).contains("https://idp.example/token");
    }

    @Test
    void whatTheFlagsGetWrongFailsAtStartEvenWhileTheIssuerIsDown() {
        OidcVerifier verifier = OidcVerifier.connect(settings(URI.create("http://127.0.0.1:" + TestPorts.free())), http, clock);
        assertThatThrownBy(() -> LoginAdvert.of(verifier, new LoginAdvert.Flags(null, List.of("authz_code"), null, null,
                List.of(10010, 10000), List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ports: [10010, 10000] is not a range");
    }

    private static OidcSettings settings(URI issuer) {
        return new OidcSettings(issuer, "wharf-cli", Optional.empty(), List.of("openid"), Optional.empty(),
                OidcSettings.DEFAULT_KEY_REFRESH_COOLDOWN);
    }

    private static LoginAdvert.Flags flags(String authz, String token) {
        return new LoginAdvert.Flags(null, List.of("authz_code"), authz, token, List.of(10000, 10010), List.of());
    }
}
